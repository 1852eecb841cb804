/**
 * npm run nats-auth: writes the NATS users and permissions of the platform
 * (generated-files.ts) from @mail/contracts. `--check` writes nothing and
 * exits 1 when a file differs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '../workspace';
import { generatedFiles } from './generated-files';

const check = process.argv.includes('--check');
let differing = 0;
for (const file of await generatedFiles()) {
  const target = join(workspaceRoot, file.path);
  let previous: string | undefined;
  try {
    previous = readFileSync(target, 'utf8');
  } catch {
    previous = undefined;
  }
  if (previous === file.text) {
    process.stdout.write(`${file.path} is up to date\n`);
    continue;
  }
  differing++;
  if (check) {
    process.stdout.write(`${file.path} differs from what the contracts generate\n`);
    continue;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.text);
  process.stdout.write(`${file.path} written\n`);
}
if (check && differing > 0) process.exitCode = 1;
