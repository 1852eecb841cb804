import { describe, expect, it } from 'vitest';
import { messageIdOf, planMessage, renderMessage } from './message-plan';

describe('planMessage', () => {
  it('sends seven in ten inbound to a local user and the rest by submission to the remote domain', () => {
    const plans = Array.from({ length: 10 }, (_, i) => planMessage(i, 0, 'r'));
    expect(plans.filter((p) => p.via === 'inbound')).toHaveLength(7);
    expect(plans[7]).toMatchObject({ via: 'submission', expectedStored: 0, expectedDelivered: 1 });
    expect(plans[9]).toMatchObject({ via: 'submission', expectedStored: 1, expectedDelivered: 1 });
    expect(plans[9]?.rcptTo).toHaveLength(2);
  });

  it('gives every message its own Message-ID', () => {
    const ids = new Set(Array.from({ length: 100 }, (_, i) => planMessage(i, 0, 'r').messageId));
    expect(ids.size).toBe(100);
  });
});

describe('renderMessage', () => {
  it('ends with a line that starts with a dot, for the client to stuff (RFC 5321 §4.5.2), and carries the Message-ID', () => {
    const plan = planMessage(3, 1, 'r');
    const text = renderMessage(plan);
    expect(text).toContain('\r\n.a line that starts with a dot\r\n');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(messageIdOf(text)).toBe(plan.messageId);
  });
});

describe('messageIdOf', () => {
  it('reads the header field case-insensitively, without brackets, and not from the body', () => {
    expect(messageIdOf('Received: x\r\nmessage-id: <A@B.test>\r\n\r\nbody')).toBe('a@b.test');
    expect(messageIdOf('Subject: x\r\n\r\nMessage-ID: <no@body.test>\r\n')).toBeUndefined();
  });
});
