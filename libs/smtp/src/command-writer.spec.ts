import { describe, it, expect } from 'vitest';
import { formatCommand } from './command-writer';
import type { ClientCommand } from './command-writer';
import { parseCommand } from './command-parser';
import { encodeXtext } from './esmtp-params';

describe('formatCommand', () => {
  const cases: Array<[ClientCommand, string]> = [
    [{ kind: 'EHLO', domain: 'relay.example.test' }, 'EHLO relay.example.test\r\n'],
    [{ kind: 'MAIL', from: '' }, 'MAIL FROM:<>\r\n'],
    [{ kind: 'MAIL', from: 'a@b.test', params: { size: '1234', BODY: '8BITMIME', SMTPUTF8: true } }, 'MAIL FROM:<a@b.test> SIZE=1234 BODY=8BITMIME SMTPUTF8\r\n'],
    [{ kind: 'RCPT', to: '"x y"@b.test', params: new Map([['ORCPT', `rfc822;${encodeXtext('x+y@b.test')}`]]) }, 'RCPT TO:<"x y"@b.test> ORCPT=rfc822;x+2By@b.test\r\n'],
    [{ kind: 'DATA' }, 'DATA\r\n'],
    [{ kind: 'BDAT', size: 42, last: true }, 'BDAT 42 LAST\r\n'],
    [{ kind: 'AUTH', mechanism: 'plain', initialResponse: 'AHUAcA==' }, 'AUTH PLAIN AHUAcA==\r\n'],
    [{ kind: 'AUTH', mechanism: 'EXTERNAL', initialResponse: '' }, 'AUTH EXTERNAL =\r\n'],
    [{ kind: 'STARTTLS' }, 'STARTTLS\r\n'],
    [{ kind: 'QUIT' }, 'QUIT\r\n'],
  ];
  it.each(cases)('%j', (cmd, wire) => {
    expect(formatCommand(cmd)).toBe(wire);
    // and the server side reads it back
    expect(parseCommand(wire.slice(0, -2)).kind).toBe(cmd.kind);
  });

  it('refuses anything that could inject a command', () => {
    expect(() => formatCommand({ kind: 'EHLO', domain: 'x\r\nRSET' })).toThrow(TypeError);
    expect(() => formatCommand({ kind: 'MAIL', from: 'a@b.test>\r\nRCPT TO:<c@d.test' })).toThrow();
    expect(() => formatCommand({ kind: 'RCPT', to: 'a@b.test', params: { NOTIFY: 'x y' } })).toThrow(/xtext/);
    expect(() => formatCommand({ kind: 'RCPT', to: '' })).toThrow(/empty forward-path/);
    expect(() => formatCommand({ kind: 'AUTH', mechanism: 'PLAIN', initialResponse: 'a b' })).toThrow(/base64/);
    expect(() => formatCommand({ kind: 'VRFY', arg: 'x\ny' })).toThrow(TypeError);
    expect(() => formatCommand({ kind: 'BDAT', size: -1, last: false })).toThrow(TypeError);
  });
});
