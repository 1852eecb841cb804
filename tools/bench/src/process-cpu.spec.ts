import { describe, expect, it } from 'vitest';
import { parseProcStat } from './process-cpu';

// A real line of PostgreSQL's postmaster: utime 12, stime 80, cutime 3760, cstime 3029.
const postmaster =
  '2229 (postgres) S 1 2229 2229 0 -1 4194304 26903 3093104 0 36 12 80 3760 3029 20 0 1 0 3129 222445568 7390 18446744073709551615 94315904028672 94315909485017 140732963880384 0 0 0 0 24129536 84487 1 0 0 17 1 0 0 0 0 0';

describe('parseProcStat', () => {
  it('reads pid, ppid, command, own and reaped-children ticks', () => {
    expect(parseProcStat(postmaster)).toEqual({ pid: 2229, ppid: 1, command: 'postgres', ownTicks: 92, reapedChildrenTicks: 6789 });
  });

  it('counts fields from the last parenthesis, so a command with spaces and ")" parses', () => {
    const line = postmaster.replace('(postgres)', '(my (odd) cmd) x)');
    expect(parseProcStat(line)).toMatchObject({ pid: 2229, ppid: 1, command: 'my (odd) cmd) x', ownTicks: 92 });
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => parseProcStat('hello')).toThrow(TypeError);
    expect(() => parseProcStat('12 (x) S 1 2 3')).toThrow(/field 14/);
  });
});
