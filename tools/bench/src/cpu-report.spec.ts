import { describe, expect, it } from 'vitest';
import { cpuMeasurements } from './cpu-report';
import type { ReferenceCpu } from './scenario-context';

const ours = [
  { name: 'smtp-ingress', msPerMessage: 2 },
  { name: 'pop3-server', msPerMessage: 0.1 },
  { name: 'NATS (shared server)', msPerMessage: 0.5 },
  { name: 'total', msPerMessage: 2.6 },
];
const rspamd: ReferenceCpu = {
  scenario: 'inbound',
  system: 'Postfix + rspamd',
  rows: [
    { name: 'Postfix', msPerMessage: 0.4 },
    { name: 'rspamd', msPerMessage: 1.3 },
    { name: 'total', msPerMessage: 1.7 },
  ],
};

describe('cpuMeasurements', () => {
  it('names a row per process, with issue 15’s target on the inbound path’s services', () => {
    const rows = cpuMeasurements('inbound', ours, []);
    expect(rows.map((row) => row.metric)).toEqual(['CPU ms/msg smtp-ingress', 'CPU ms/msg pop3-server', 'CPU ms/msg NATS (shared server)', 'CPU ms/msg total']);
    expect(rows[0]?.target?.bound).toBe(1.5);
    expect(rows[1]?.target).toBeUndefined();
    expect(cpuMeasurements('outbound', ours, [])[0]?.target).toBeUndefined();
  });

  it('puts the reference’s total beside ours and its processes in reference-only rows', () => {
    const rows = cpuMeasurements('inbound', ours, [rspamd, { ...rspamd, scenario: 'pop3', system: 'Dovecot' }]);
    const total = rows.filter((row) => row.metric === 'CPU ms/msg total');
    expect(total).toEqual([{ scenario: 'inbound', metric: 'CPU ms/msg total', value: 2.6, unit: 'ms/msg', reference: { system: 'Postfix + rspamd', value: 1.7 } }]);
    const rspamdRow = rows.find((row) => row.metric === 'CPU ms/msg Postfix + rspamd: rspamd');
    expect(rspamdRow?.value).toBeNaN();
    expect(rspamdRow?.reference).toEqual({ system: 'Postfix + rspamd', value: 1.3 });
  });

  it('uses the unit of work it is given', () => {
    expect(cpuMeasurements('pop3', ours, [], 'RETR')[0]).toMatchObject({ metric: 'CPU ms/RETR smtp-ingress', unit: 'ms/RETR' });
  });
});
