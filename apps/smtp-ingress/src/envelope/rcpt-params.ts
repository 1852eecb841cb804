/**
 * The ESMTP parameters of RCPT TO this server implements: NOTIFY and ORCPT
 * of Delivery Status Notifications (RFC 3461 §4.1, §4.2), kept per
 * recipient for the relay and for bounces. Anything else is refused with 555.
 */
import type { RecipientDsn } from '@mail/contracts';
import { C501ParamSyntax, C555ParamsNotRecognized, EsInvalidArguments, SmtpReplyError, decodeXtext, type EsmtpParams } from '@mail/smtp';
import type { z } from 'zod';

/** DSN parameters of one recipient, as the envelope carries them. */
export type RecipientDsnParams = z.infer<typeof RecipientDsn>;

type NotifyValue = NonNullable<RecipientDsnParams['notify']>[number];

// RFC 3461 §4.2: the ORCPT value is at most 500 characters.
const MAX_ORCPT = 500;
// RFC 3461 §4.2: addr-type = atom (RFC 822); "rfc822" in practice
const ADDR_TYPE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;

const badValue = (keyword: string, expected: string): SmtpReplyError => new SmtpReplyError(C501ParamSyntax, EsInvalidArguments, `Syntax error: ${keyword} must be ${expected}`);

function parseNotify(value: string | true): NotifyValue[] {
  const expected = 'NEVER or a list of SUCCESS, FAILURE, DELAY';
  if (value === true) throw badValue('NOTIFY', expected);
  const items = value.toUpperCase().split(',');
  const allowed = new Set(['SUCCESS', 'FAILURE', 'DELAY']);
  // RFC 3461 §4.1: "NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" ), NEVER alone
  if (items.length === 1 && items[0] === 'NEVER') return ['NEVER'];
  if (items.some((item) => !allowed.has(item)) || new Set(items).size !== items.length) throw badValue('NOTIFY', expected);
  return items as NotifyValue[];
}

function parseOrcpt(value: string | true): string {
  const expected = 'addr-type;xtext';
  if (value === true || value.length > MAX_ORCPT) throw badValue('ORCPT', expected);
  const semi = value.indexOf(';');
  const addrType = value.slice(0, semi);
  if (semi <= 0 || !ADDR_TYPE.test(addrType)) throw badValue('ORCPT', expected);
  // RFC 3461 §4.2: ORCPT=addr-type ";" xtext — kept decoded: "rfc822;bob@example.test"
  return `${addrType};${decodeXtext(value.slice(semi + 1))}`;
}

/**
 * Check and type RCPT TO parameters; undefined when there are none.
 * Throws {@link SmtpReplyError} 555 5.5.4 for unknown parameters or any
 * parameter after HELO, 501 5.5.4 for malformed values.
 */
export function parseRcptParams(params: EsmtpParams, extended: boolean): RecipientDsnParams | undefined {
  let dsn: RecipientDsnParams | undefined;
  for (const [keyword, value] of params) {
    if (!extended || (keyword !== 'NOTIFY' && keyword !== 'ORCPT')) {
      throw new SmtpReplyError(C555ParamsNotRecognized, EsInvalidArguments, `RCPT TO parameter ${keyword} not recognized`);
    }
    dsn ??= {};
    if (keyword === 'NOTIFY') dsn.notify = parseNotify(value);
    else dsn.orcpt = parseOrcpt(value);
  }
  return dsn;
}
