import { describe, expect, it } from 'vitest';
import { formatNumber, ratioText, renderMarkdown, renderTable, targetStatus, type Measurement } from './bench-results';

const inbound: Measurement = {
  scenario: 'inbound',
  metric: 'end-to-end rate',
  value: 300,
  unit: 'msg/s',
  reference: { system: 'Postfix', value: 600 },
  target: { kind: 'at-least', bound: 1100, text: '≥ 1,100 msg/s' },
};

describe('targetStatus', () => {
  it('checks at-least and at-most bounds', () => {
    expect(targetStatus(inbound)).toBe('not yet');
    expect(targetStatus({ ...inbound, value: 1200 })).toBe('met');
    expect(targetStatus({ ...inbound, value: 19, target: { kind: 'at-most', bound: 20, text: '< 20 ms' } })).toBe('met');
    expect(targetStatus({ ...inbound, value: 21, target: { kind: 'at-most', bound: 20, text: '< 20 ms' } })).toBe('not yet');
  });

  it('says nothing without a target or without a value', () => {
    expect(targetStatus({ scenario: 's', metric: 'm', value: 1, unit: 'x' })).toBe('');
    expect(targetStatus({ ...inbound, value: Number.NaN })).toBe('');
  });
});

describe('formatting', () => {
  it('gives the ratio to the reference', () => {
    expect(ratioText(inbound)).toBe('0.50×');
    expect(ratioText({ ...inbound, reference: undefined })).toBe('');
  });

  it('rounds big numbers and keeps three digits of small ones', () => {
    expect(formatNumber(6400.4)).toBe('6,400');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(Number.NaN)).toBe('—');
  });

  it('renders the same rows in the terminal table and the Markdown', () => {
    const table = renderTable([inbound]);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('300 msg/s');
    expect(table).toContain('600 msg/s (Postfix)');
    const markdown = renderMarkdown({ startedAt: 'a', finishedAt: 'b', machine: { cpus: '2' }, command: 'npm run bench', measurements: [inbound], notes: ['smtp-source used'] });
    expect(markdown).toContain('| inbound | end-to-end rate | 300 msg/s | 600 msg/s (Postfix) | 0.50× | ≥ 1,100 msg/s | not yet |');
    expect(markdown).toContain('- cpus: 2');
    expect(markdown).toContain('- smtp-source used');
  });

  it('shows a dash, not a unit, where only the reference has a value', () => {
    const table = renderTable([{ scenario: 'inbound', metric: 'CPU ms/msg Postfix + rspamd: rspamd', value: Number.NaN, unit: 'ms/msg', reference: { system: 'Postfix + rspamd', value: 1.9 } }]);
    expect(table.split('\n')[2]).toMatch(/rspamd +— +1\.9 ms\/msg \(Postfix \+ rspamd\)/);
  });
});
