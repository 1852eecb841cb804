/**
 * Where the relay sends mail: MX preference with the first host down, the
 * implicit MX, domains sharing an MX, and the domains that cannot take mail
 * (null MX, NXDOMAIN) — against a real dns2 server and SMTP sinks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { startRelayHarness, type RelayHarness } from './relay-harness';

describe('outbound-relay routing', () => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']);
    h.sink('127.0.0.6').setBehaviour({ ehlo: false });
    // pref.test: the preferred MX has an address where nothing listens
    h.dns.add('pref.test', { type: 'MX', preference: 30, exchange: 'mx3.pref.test' }, { type: 'MX', preference: 10, exchange: 'mx1.pref.test' });
    h.dns.add('pref.test', { type: 'MX', preference: 20, exchange: 'mx2.pref.test' });
    h.dns.add('mx1.pref.test', { type: 'A', address: '127.0.0.20' });
    h.dns.add('mx2.pref.test', { type: 'A', address: '127.0.0.2' });
    h.dns.add('mx3.pref.test', { type: 'A', address: '127.0.0.3' });
    h.dns.add('implicit.test', { type: 'A', address: '127.0.0.4' });
    h.dns.add('nullmx.test', { type: 'MX', preference: 0, exchange: '.' });
    for (const domain of ['one.shared.test', 'two.shared.test']) h.dns.add(domain, { type: 'MX', preference: 10, exchange: 'mx.shared.test' });
    h.dns.add('mx.shared.test', { type: 'A', address: '127.0.0.5' });
    h.dns.add('oldserver.test', { type: 'MX', preference: 10, exchange: 'mx.oldserver.test' });
    h.dns.add('mx.oldserver.test', { type: 'A', address: '127.0.0.6' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('skips an MX host that is down and delivers to the next one in preference order', async () => {
    const queueId = await h.queue(['ann@pref.test']);
    const [event] = await h.waitForEvents(queueId, 1, 'delivered');
    expect(event?.detail).toContain('mx2.pref.test[127.0.0.2]');
    expect(
      h
        .sink('127.0.0.2')
        .delivered()
        .map((t) => t.rcptTo),
    ).toEqual([['ann@pref.test']]);
    expect(h.sink('127.0.0.3').transactions).toEqual([]);
    const attempts = h.relay
      .output()
      .split('\n')
      .filter((line) => line.includes(queueId) && line.includes('delivery attempt'));
    expect(attempts.some((line) => line.includes('"mx":"mx1.pref.test"') && line.includes('"result":"failed"'))).toBe(true);
  });

  it('delivers to the domain itself when it has no MX records (implicit MX)', async () => {
    const queueId = await h.queue(['bob@implicit.test']);
    await h.waitForEvents(queueId, 1, 'delivered');
    expect(
      h
        .sink('127.0.0.4')
        .delivered()
        .map((t) => t.rcptTo),
    ).toEqual([['bob@implicit.test']]);
  });

  it('bounces recipients of a null-MX domain without connecting anywhere', async () => {
    const queueId = await h.queue(['carol@nullmx.test']);
    const [event] = await h.waitForEvents(queueId, 1, 'bounced');
    expect(event).toMatchObject({ recipient: 'carol@nullmx.test', service: 'outbound-relay' });
    expect(event?.detail).toMatch(/null MX/);
  });

  it('bounces recipients of a domain that does not exist', async () => {
    const queueId = await h.queue(['dave@nxdomain.test']);
    const [event] = await h.waitForEvents(queueId, 1, 'bounced');
    expect(event?.detail).toMatch(/NXDOMAIN/);
    const notice = await waitFor(() => h.received.find((m) => m.queueId.startsWith(`${queueId}-F`)), { description: 'the failure notice' });
    expect(notice.envelope).toMatchObject({ mailFrom: '', recipients: [{ address: 'sender@origin.test', route: 'local' }] });
  });

  it('sends one copy to a host serving two recipient domains', async () => {
    const queueId = await h.queue(['a@one.shared.test', 'b@two.shared.test']);
    await h.waitForEvents(queueId, 2, 'delivered');
    expect(
      h
        .sink('127.0.0.5')
        .delivered()
        .map((t) => t.rcptTo),
    ).toEqual([['a@one.shared.test', 'b@two.shared.test']]);
  });

  it('falls back to HELO when the server refuses EHLO, and sends no extension parameters', async () => {
    const queueId = await h.queue(['eve@oldserver.test']);
    await h.waitForEvents(queueId, 1, 'delivered');
    const [transaction] = h.sink('127.0.0.6').delivered();
    expect(transaction).toMatchObject({ helo: 'relay.example.test', mailFrom: 'sender@origin.test', mailParams: {} });
    const lines = h.sink('127.0.0.6').commands.map((c) => c.line.split(' ')[0]);
    expect(lines.slice(0, 3)).toEqual(['EHLO', 'HELO', 'MAIL']);
  });

  it('counts attempts and recipient outcomes on /metrics', async () => {
    const text = await waitFor(
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${h.relay.opsPort}/metrics`)).text();
        return body.includes('mail_outbound_deliveries_total') && body;
      },
      { description: 'relay metrics' },
    );
    expect(text).toMatch(/mail_outbound_attempts_total\{[^}]*result="failed"[^}]*\} 1/);
    expect(text).toMatch(/mail_outbound_deliveries_total\{[^}]*result="bounced"[^}]*\} 2/);
    expect(text).toMatch(/mail_outbound_deliveries_total\{[^}]*result="delivered"[^}]*\} 5/);
  });
});
