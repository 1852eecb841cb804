// Tests of session-log.ts: the bindings on every line, and no child logger until a line is written.
import { Writable } from 'node:stream';
import { createLogger } from '@mail/telemetry';
import { describe, expect, it, vi } from 'vitest';
import { LazySessionLog } from './session-log';

/** A logger at `level` writing into an array of parsed lines. */
function capture(level: string): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger('smtp-ingress-test', level, sink), lines };
}

describe('LazySessionLog', () => {
  it('writes every line with the session bindings, those bound later included', () => {
    const { log, lines } = capture('debug');
    const session = new LazySessionLog(log, { session: 's1', listener: 'inbound', peerIp: '192.0.2.1' });
    session.debug('before the client is known');
    session.bind({ clientIp: '198.51.100.7' });
    session.info({ queueId: 'Q1' }, 'message %s', 'accepted');
    session.warn({ err: new Error('boom') }, 'failed');
    expect(lines.map((line) => [line['level'], line['msg'], line['session'], line['peerIp'], line['clientIp']])).toEqual([
      ['debug', 'before the client is known', 's1', '192.0.2.1', undefined],
      ['info', 'message accepted', 's1', '192.0.2.1', '198.51.100.7'],
      ['warn', 'failed', 's1', '192.0.2.1', '198.51.100.7'],
    ]);
    expect(lines[1]?.['queueId']).toBe('Q1');
    expect((lines[2]?.['err'] as { message?: string } | undefined)?.message).toBe('boom');
  });

  it('makes no child logger while the level lets nothing through', () => {
    const { log, lines } = capture('warn');
    const child = vi.spyOn(log, 'child');
    const session = new LazySessionLog(log, { session: 's2' });
    session.bind({ clientIp: '192.0.2.9' });
    session.debug('command');
    session.info({ queueId: 'Q2' }, 'message accepted');
    expect(child).not.toHaveBeenCalled();
    session.error('session failed');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', msg: 'session failed', session: 's2', clientIp: '192.0.2.9' })]);
  });
});
