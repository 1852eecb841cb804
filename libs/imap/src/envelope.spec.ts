// Tests of envelope.ts (RFC 9051 §7.5.2 ENVELOPE, RFC 5322 §3.4 addresses).
import { describe, expect, it } from 'vitest';
import { parseAddressList, writeEnvelope } from './envelope';
import { WireWriter } from './wire-string';

describe('parseAddressList', () => {
  it('reads name-addr, addr-spec, quoted names, comments and routes', () => {
    expect(parseAddressList('"Smith, John" <john@example.com>, jane@example.org (Jane), <@relay.example:bob@example.net>')).toEqual([
      { name: 'Smith, John', adl: null, mailbox: 'john', host: 'example.com' },
      { name: null, adl: null, mailbox: 'jane', host: 'example.org' },
      { name: null, adl: '@relay.example', mailbox: 'bob', host: 'example.net' },
    ]);
  });

  it('marks groups with start and end entries', () => {
    expect(parseAddressList('team: a@x.test, b@x.test;, undisclosed-recipients:;')).toEqual([
      { name: null, adl: null, mailbox: 'team', host: null },
      { name: null, adl: null, mailbox: 'a', host: 'x.test' },
      { name: null, adl: null, mailbox: 'b', host: 'x.test' },
      { name: null, adl: null, mailbox: null, host: null },
      { name: null, adl: null, mailbox: 'undisclosed-recipients', host: null },
      { name: null, adl: null, mailbox: null, host: null },
    ]);
  });

  it('never gives a NIL host outside a group', () => {
    expect(parseAddressList('postmaster')).toEqual([{ name: null, adl: null, mailbox: 'postmaster', host: 'MISSING_DOMAIN' }]);
  });
});

describe('writeEnvelope', () => {
  it('defaults Sender and Reply-To to From and writes NIL for absent fields', () => {
    const w = new WireWriter({ utf8: false });
    writeEnvelope(w, {
      date: 'Mon, 7 Feb 1994 21:52:25 -0800',
      subject: 'afternoon meeting',
      from: 'Fred Foobar <foobar@example.com>',
      sender: null,
      replyTo: '',
      to: 'mooch@example.org',
      cc: null,
      bcc: null,
      inReplyTo: null,
      messageId: '<B27397-0100000@example.com>',
    });
    expect(w.toBuffer().toString()).toBe(
      '("Mon, 7 Feb 1994 21:52:25 -0800" "afternoon meeting" (("Fred Foobar" NIL "foobar" "example.com")) (("Fred Foobar" NIL "foobar" "example.com")) (("Fred Foobar" NIL "foobar" "example.com")) ((NIL NIL "mooch" "example.org")) NIL NIL NIL "<B27397-0100000@example.com>")',
    );
  });
});
