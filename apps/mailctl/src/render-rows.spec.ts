/** Unit tests of render-rows.ts: list replies as aligned tables. */
import { describe, expect, it } from 'vitest';
import { renderRows } from './render-rows';

describe('renderRows', () => {
  it('aligns columns under upper-case headings', () => {
    expect(
      renderRows([
        { domain: 'a.test', users: '2' },
        { domain: 'longer.example.test', users: '10' },
      ]),
    ).toBe('DOMAIN               USERS\na.test               2\nlonger.example.test  10\n');
  });

  it('renders nothing for no rows', () => {
    expect(renderRows([])).toBe('');
  });
});
