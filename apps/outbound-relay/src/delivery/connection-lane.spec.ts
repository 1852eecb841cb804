import { describe, expect, it } from 'vitest';
import { SmtpConnectionError, type SmtpSession, type SmtpTarget } from '@mail/smtp-client';
import { ConnectionLane } from './connection-lane';
import type { SessionSource } from './host-attempt';

const target: SmtpTarget = { host: 'mx.example.test', address: '192.0.2.1', port: 25 };
const other: SmtpTarget = { host: 'mx2.example.test', address: '192.0.2.2', port: 25 };

/** A session as the lane sees it: usable or not, and how often it was reset. */
function fakeSession(at: SmtpTarget, resetAnswer = true) {
  const session = { target: at, usable: true, resets: 0, destroyed: false, reset: async () => (session.resets++, resetAnswer), destroy: () => void (session.destroyed = true) };
  return session;
}

function fakePool(open: (target: SmtpTarget) => Promise<ReturnType<typeof fakeSession>>) {
  const released: { session: unknown; clean: boolean }[] = [];
  let opened = 0;
  const pool: SessionSource = {
    acquire: async (t) => (opened++, (await open(t)) as unknown as SmtpSession),
    release: (session, clean) => void released.push({ session, clean }),
  };
  return { pool, released, opened: () => opened };
}

describe('ConnectionLane', () => {
  it('hands the next message the session the last one left clean, without RSET (RFC 5321 §3.3)', async () => {
    const { pool, released, opened } = fakePool(async (t) => fakeSession(t));
    const lane = new ConnectionLane(pool);
    const first = await lane.acquire(target);
    lane.release(first, true);
    const second = await lane.acquire(target);
    expect(second).toBe(first);
    expect((second as unknown as { resets: number }).resets).toBe(0);
    expect(opened()).toBe(1);
    lane.release(second, true);
    lane.close();
    expect(released).toEqual([{ session: first, clean: true }]);
  });

  it('resets a session left with a transaction open (RFC 5321 §4.1.1.5), and replaces one that refuses or broke', async () => {
    const sessions = [fakeSession(target, false), fakeSession(target)];
    const { pool, opened } = fakePool(async () => sessions[opened() - 1] as ReturnType<typeof fakeSession>);
    const lane = new ConnectionLane(pool);
    const first = await lane.acquire(target);
    lane.release(first, false);
    const second = await lane.acquire(target);
    expect(sessions[0]?.resets).toBe(1);
    expect(sessions[0]?.destroyed).toBe(true);
    expect(second).toBe(sessions[1]);
    expect(opened()).toBe(2);
  });

  it('does not try an address again in the lane once it could not be reached; other addresses still are', async () => {
    const { pool, opened } = fakePool(async (t) => {
      if (t.address === target.address) throw new SmtpConnectionError('connect failed: ECONNREFUSED');
      return fakeSession(t);
    });
    const lane = new ConnectionLane(pool);
    await expect(lane.acquire(target)).rejects.toThrow('ECONNREFUSED');
    await expect(lane.acquire(target)).rejects.toThrow('ECONNREFUSED');
    expect(opened()).toBe(1);
    await expect(lane.acquire(other)).resolves.toMatchObject({ target: other });
  });
});
