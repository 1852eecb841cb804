// Client side: serialize commands to their wire form (RFC 5321 §4.1.1,
// STARTTLS RFC 3207, AUTH RFC 4954, BDAT RFC 3030), refusing anything that
// could inject a line (CR, LF or other control characters).

import { parseMailbox } from './address';

/** ESMTP parameters to send: keyword → value (already xtext-encoded where required) or true. */
export type OutgoingParams = ReadonlyMap<string, string | true> | Readonly<Record<string, string | true>>;

/** A command the client sends. Addresses are without brackets; `from: ''` is the null reverse-path. */
export type ClientCommand =
  | { kind: 'EHLO' | 'HELO'; domain: string }
  | { kind: 'MAIL'; from: string; params?: OutgoingParams }
  | { kind: 'RCPT'; to: string; params?: OutgoingParams }
  | { kind: 'DATA' | 'RSET' | 'NOOP' | 'QUIT' | 'STARTTLS' }
  | { kind: 'BDAT'; size: number; last: boolean }
  | { kind: 'AUTH'; mechanism: string; initialResponse?: string }
  | { kind: 'VRFY'; arg: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
// RFC 5321 §4.1.2: esmtp-keyword; esmtp-value excludes SP, "=" and controls
const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
// eslint-disable-next-line no-control-regex
const VALUE = /^[^\x00-\x20=\x7f]+$/;

function checkText(what: string, text: string): string {
  if (text === '' || CONTROL.test(text)) throw new TypeError(`invalid ${what} ${JSON.stringify(text)}`);
  return text;
}

function formatParams(params: OutgoingParams | undefined): string {
  if (params === undefined) return '';
  const entries = params instanceof Map ? [...params.entries()] : Object.entries(params);
  let out = '';
  for (const [key, value] of entries) {
    if (!KEYWORD.test(key)) throw new TypeError(`invalid ESMTP keyword ${JSON.stringify(key)}`);
    if (value === true) out += ` ${key.toUpperCase()}`;
    else if (VALUE.test(value)) out += ` ${key.toUpperCase()}=${value}`;
    else throw new TypeError(`invalid value for ESMTP parameter ${key} (xtext-encode it)`);
  }
  return out;
}

function formatPath(address: string, allowNull: boolean): string {
  if (address === '') {
    if (!allowNull) throw new TypeError('empty forward-path');
    return '<>';
  }
  // Throws AddressSyntaxError when the address is not RFC 5321 syntax
  parseMailbox(address, { utf8: true });
  return `<${address}>`;
}

/** Serialize a command, CRLF included. Throws TypeError on invalid input. */
export function formatCommand(cmd: ClientCommand): string {
  switch (cmd.kind) {
    case 'EHLO':
    case 'HELO':
      if (cmd.domain.includes(' ')) throw new TypeError('EHLO domain must not contain spaces');
      return `${cmd.kind} ${checkText('domain', cmd.domain)}\r\n`;
    case 'MAIL':
      return `MAIL FROM:${formatPath(cmd.from, true)}${formatParams(cmd.params)}\r\n`;
    case 'RCPT':
      return `RCPT TO:${formatPath(cmd.to, false)}${formatParams(cmd.params)}\r\n`;
    case 'BDAT':
      if (!Number.isSafeInteger(cmd.size) || cmd.size < 0) throw new TypeError(`invalid BDAT size ${cmd.size}`);
      return `BDAT ${cmd.size}${cmd.last ? ' LAST' : ''}\r\n`;
    case 'AUTH': {
      // RFC 4954 §4: an empty initial response is sent as "="
      const resp = cmd.initialResponse;
      if (resp !== undefined && resp !== '' && !/^[A-Za-z0-9+/]+={0,2}$/.test(resp)) throw new TypeError('AUTH initial response must be base64');
      const ir = resp === undefined ? '' : ` ${resp === '' ? '=' : resp}`;
      if (!/^[A-Za-z0-9_-]{1,20}$/.test(cmd.mechanism)) throw new TypeError(`invalid SASL mechanism ${JSON.stringify(cmd.mechanism)}`);
      return `AUTH ${cmd.mechanism.toUpperCase()}${ir}\r\n`;
    }
    case 'VRFY':
      return `VRFY ${checkText('argument', cmd.arg)}\r\n`;
    default:
      return `${cmd.kind}\r\n`;
  }
}
