// Tests of mail.ts: reverse-path, parameters, SIZE and source routes.
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../../test-support/command-harness';

async function mail(line: string) {
  const h = createHarness();
  await converse(h, 'EHLO client.test\r\n');
  return { h, reply: await converse(h, `${line}\r\n`) };
}

describe('MAIL FROM', () => {
  it('opens a transaction with the sender and parameters', async () => {
    const { h, reply } = await mail('MAIL FROM:<alice@crepes.fr> SIZE=100 BODY=8BITMIME RET=FULL ENVID=X1');
    expect(reply).toBe('250 2.1.0 Sender ok\r\n');
    expect(h.ctx.state.transaction).toEqual({
      mailFrom: 'alice@crepes.fr',
      params: { declaredSize: 100, bodyType: '8BITMIME', smtputf8: false, dsnReturn: 'FULL', dsnEnvelopeId: 'X1' },
      recipients: [],
    });
  });

  it('accepts the null sender (RFC 5321 §4.5.5) and UTF-8 with SMTPUTF8', async () => {
    expect((await mail('MAIL FROM:<>')).h.ctx.state.transaction?.mailFrom).toBe('');
    expect((await mail('MAIL FROM:<jösé@crepes.fr> SMTPUTF8')).reply).toBe('250 2.1.0 Sender ok\r\n');
    expect((await mail('MAIL FROM:<jösé@crepes.fr>')).reply).toMatch(/^553 5\.6\.7 /);
  });

  it('refuses a declared size over the maximum with 552 5.3.4 (RFC 1870)', async () => {
    expect((await mail('MAIL FROM:<a@crepes.fr> SIZE=1001')).reply).toMatch(/^552 5\.3\.4 /);
  });

  it('refuses source routes as relay attempts', async () => {
    expect((await mail('MAIL FROM:<@relay.test:alice@crepes.fr>')).reply).toBe('553 5.7.1 Source routes are not accepted\r\n');
  });

  it('refuses bad syntax with 501 5.1.7', async () => {
    expect((await mail('MAIL FROM:<alice@crepes.fr.>')).reply).toMatch(/^501 5\.1\.7 /);
    expect((await mail('MAIL FROM:alice@crepes.fr')).reply).toMatch(/^501 5\.1\.7 /);
  });

  it('lets an authenticated user send only as an address it owns (553 5.7.1)', async () => {
    const h = createHarness({ listener: 'submission' });
    h.ctx.state.tls = true;
    h.ctx.state.authUser = 'bob@example.test';
    await converse(h, 'EHLO client.test\r\n');
    expect(await converse(h, 'MAIL FROM:<carol@example.test>\r\n')).toBe('553 5.7.1 Sender address <carol@example.test> not owned by user bob@example.test\r\n');
    expect(await converse(h, 'MAIL FROM:<alice@crepes.fr>\r\n')).toMatch(/^553 5\.7\.1 /);
    expect(h.ctx.state.transaction).toBeUndefined();
    expect(await converse(h, 'MAIL FROM:<Bob@example.test>\r\n')).toBe('250 2.1.0 Sender ok\r\n');
  });
});
