/**
 * Child of startup-compilers.spec.ts, run with the held compilers off and
 * --trace-opt: a hot function before and after the compilers are turned on
 * again, with a line between the two.
 */
import { heldCompilers, resumeCompilers } from '../startup-compilers';

const hot = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += i % 7;
  return sum;
};
const rounds = 20_000;
for (let i = 0; i < rounds; i++) hot(100);
const held = heldCompilers();
resumeCompilers(held);
console.log(`resumed: ${held.join(',')}`);
for (let i = 0; i < rounds; i++) hot(100);
