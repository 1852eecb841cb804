import { describe, expect, it } from 'vitest';
import type { SmtpReply } from '@mail/smtp';
import { recipientResults, recipientsOverLimit } from './transaction-result';

const r = (code: number, text = 'text'): SmtpReply => ({ code, lines: [text] });
const rcpts = ['a@x.test', 'b@x.test', 'c@x.test'];
const statuses = (results: ReturnType<typeof recipientResults>) => results.map((x) => x.status);

describe('recipientResults', () => {
  it('delivers every accepted recipient after the final 250', () => {
    const results = recipientResults(rcpts, { mail: r(250), rcpt: [r(250), r(250), r(250)], dataStart: r(354), dataEnd: r(250) });
    expect(statuses(results)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(results[0]).toMatchObject({ stage: 'end of data', reply: { code: 250 } });
  });

  it('applies a reply to one RCPT to that recipient only', () => {
    const results = recipientResults(rcpts, { mail: r(250), rcpt: [r(250), r(450), r(550)], dataStart: r(354), dataEnd: r(250) });
    expect(statuses(results)).toEqual(['delivered', 'temporary', 'permanent']);
    expect(results[1]).toMatchObject({ stage: 'RCPT TO', reply: { code: 450 } });
  });

  it('applies a refused MAIL to everyone, whatever the pipelined RCPTs got', () => {
    expect(statuses(recipientResults(rcpts, { mail: r(550), rcpt: [r(503), r(503), r(503)] }))).toEqual(['permanent', 'permanent', 'permanent']);
    expect(statuses(recipientResults(rcpts, { mail: r(451), rcpt: [r(503), r(503), r(503)] }))).toEqual(['temporary', 'temporary', 'temporary']);
  });

  it('applies a 4xx or 5xx to DATA, or after the data, to all accepted recipients', () => {
    const refusedStart = recipientResults(rcpts, { mail: r(250), rcpt: [r(250), r(550), r(250)], dataStart: r(554) });
    expect(statuses(refusedStart)).toEqual(['permanent', 'permanent', 'permanent']);
    expect(refusedStart.map((x) => ('stage' in x ? x.stage : undefined))).toEqual(['DATA', 'RCPT TO', 'DATA']);
    const deferredEnd = recipientResults(rcpts, { mail: r(250), rcpt: [r(250), r(550), r(250)], dataStart: r(354), dataEnd: r(451) });
    expect(statuses(deferredEnd)).toEqual(['temporary', 'permanent', 'temporary']);
  });

  it('leaves recipients untried when the connection broke before their answer', () => {
    const broken = new Error('connection closed');
    expect(statuses(recipientResults(rcpts, { rcpt: [undefined, undefined, undefined], failure: broken }))).toEqual(['untried', 'untried', 'untried']);
    expect(statuses(recipientResults(rcpts, { mail: r(250), rcpt: [r(250), r(550), undefined], failure: broken }))).toEqual(['untried', 'permanent', 'untried']);
    // No reply after the final dot: the server may have the message, but only a 250 counts
    const noEnd = recipientResults(rcpts, { mail: r(250), rcpt: [r(250), r(250), r(250)], dataStart: r(354), failure: broken });
    expect(statuses(noEnd)).toEqual(['untried', 'untried', 'untried']);
  });

  it('treats a positive reply to DATA (instead of 354) as a temporary failure', () => {
    expect(statuses(recipientResults(['a@x.test'], { mail: r(250), rcpt: [r(250)], dataStart: r(250) }))).toEqual(['temporary']);
  });
});

describe('recipientsOverLimit', () => {
  it('returns 452 recipients when the server took others in the same transaction (RFC 5321 §4.5.3.1.10)', () => {
    const results = recipientResults(rcpts, { mail: r(250), rcpt: [r(250), r(452), r(452)], dataStart: r(354), dataEnd: r(250) });
    expect(recipientsOverLimit(results)).toEqual(['b@x.test', 'c@x.test']);
  });

  it('returns nothing when nobody got through, so no loop without progress', () => {
    const results = recipientResults(rcpts, { mail: r(250), rcpt: [r(452), r(452), r(452)] });
    expect(recipientsOverLimit(results)).toEqual([]);
  });
});
