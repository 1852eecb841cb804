// Tests of top.ts: headers, blank line, n body lines, and early stop.
import { describe, expect, it } from 'vitest';
import { createLoggedInHarness } from '../test-support/command-harness';
import { handleTop } from './top';

const message = 'Subject: hi\r\nFrom: a@b\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n' + 'x'.repeat(400) + '\r\n';

describe('TOP', () => {
  it('sends the headers, the blank line and n body lines, stuffed', async () => {
    const { ctx, channel } = await createLoggedInHarness([message]);
    await handleTop(ctx, { kind: 'TOP', msg: 1, lines: 2 });
    expect(channel.take()).toBe('+OK top of message follows\r\nSubject: hi\r\nFrom: a@b\r\n\r\nline 1\r\n..line 2\r\n.\r\n');
  });

  it('sends only the header section for n = 0 and stops fetching', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness([message]);
    mailbox.chunkOctets = 8;
    await handleTop(ctx, { kind: 'TOP', msg: 1, lines: 0 });
    expect(channel.take()).toBe('+OK top of message follows\r\nSubject: hi\r\nFrom: a@b\r\n\r\n.\r\n');
    expect(mailbox.chunksRead).toBeLessThan(Math.ceil(message.length / 8));
  });
});
