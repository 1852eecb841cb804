import { describe, expect, it } from 'vitest';
import { parseQueueCommand, queueUsage, renderQueueResponse } from './queue-commands';

describe('parseQueueCommand', () => {
  it('parses list, show, retry and delete', () => {
    expect(parseQueueCommand(['list'], false)).toEqual({ kind: 'run', request: { version: 1, op: 'list' } });
    for (const op of ['show', 'retry', 'delete'] as const) {
      expect(parseQueueCommand([op, 'Q1234567890'], false)).toEqual({ kind: 'run', request: { version: 1, op, queueId: 'Q1234567890' } });
    }
  });

  it('refuses a missing or malformed queue id, unknown actions and extra arguments', () => {
    expect(parseQueueCommand(['show'], false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/missing <queue-id>/) });
    expect(parseQueueCommand(['retry', 'no/slash'], false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/invalid queue id/) });
    expect(parseQueueCommand(['flush'], false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/unknown command "queue flush"/) });
    expect(parseQueueCommand(['list', 'x'], false)).toMatchObject({ kind: 'invalid' });
    expect(parseQueueCommand([], false)).toMatchObject({ kind: 'invalid' });
  });

  it('gives help on request', () => {
    expect(parseQueueCommand([], true)).toEqual({ kind: 'help', text: queueUsage });
    expect(parseQueueCommand(['show'], true)).toEqual({ kind: 'help', text: queueUsage });
  });
});

describe('renderQueueResponse', () => {
  const entry = {
    queueId: 'Q1234567890',
    mailFrom: '',
    queuedAt: '2025-01-01T00:00:00.000Z',
    size: 1234,
    attempts: 2,
    nextAttemptAt: '2025-01-01T00:10:00.000Z',
    recipients: [{ address: 'bob@remote.test', state: 'deferred' as const, detail: 'mx said: 451 try later', retryAt: '2025-01-01T00:10:00.000Z' }],
  };

  it('lists one line per message, like mailq', () => {
    const text = renderQueueResponse({ version: 1, op: 'list' }, { entries: [entry] });
    expect(text.split('\n')[0]).toMatch(/^QUEUE ID +SIZE +QUEUED +SENDER +WAITING +ATTEMPTS +NEXT ATTEMPT$/);
    expect(text).toMatch(/Q1234567890 +1234 +2025-01-01T00:00:00Z +<> +1 +2 +2025-01-01T00:10:00Z/);
    expect(renderQueueResponse({ version: 1, op: 'list' }, { entries: [] })).toBe('The outbound queue is empty.\n');
  });

  it('shows every recipient with its state and last reply', () => {
    const text = renderQueueResponse({ version: 1, op: 'show', queueId: 'Q1234567890' }, { entries: [entry] });
    expect(text).toContain('  bob@remote.test  deferred (next 2025-01-01T00:10:00.000Z)\n    mx said: 451 try later');
  });
});
