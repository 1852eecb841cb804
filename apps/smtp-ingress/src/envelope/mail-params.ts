/**
 * The ESMTP parameters of MAIL FROM this server implements, checked and
 * typed: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531),
 * RET and ENVID (RFC 3461). Anything else is refused with 555.
 */
import { C501ParamSyntax, C552ExceededStorage, C555ParamsNotRecognized, EsInvalidArguments, EsMessageTooBig, SmtpReplyError, decodeXtext, type EsmtpParams } from '@mail/smtp';

/** RFC 6152 §2 / RFC 3030 §3 body types. */
export type BodyType = '7BIT' | '8BITMIME' | 'BINARYMIME';

/** MAIL FROM parameters as the transaction keeps them. */
export interface MailParams {
  /** RFC 1870 §3: the size the client declared, if any. */
  readonly declaredSize?: number;
  readonly bodyType: BodyType;
  /** RFC 6531 §3.4: SMTPUTF8 was given. */
  readonly smtputf8: boolean;
  /** RFC 3461 §4.3: RET=FULL|HDRS. */
  readonly dsnReturn?: 'FULL' | 'HDRS';
  /** RFC 3461 §4.4: ENVID, decoded from xtext. */
  readonly dsnEnvelopeId?: string;
}

/** What the parameters are checked against. */
export interface MailParamLimits {
  readonly maxMessageSize: number;
  /** The client said EHLO; after HELO no service extension may be used (RFC 5321 §2.2.1). */
  readonly extended: boolean;
}

// RFC 3461 §4.4: the ENVID value is at most 100 characters.
const MAX_ENVID = 100;

const badValue = (keyword: string, expected: string): SmtpReplyError => new SmtpReplyError(C501ParamSyntax, EsInvalidArguments, `Syntax error: ${keyword} must be ${expected}`);

function valueOf(params: EsmtpParams, keyword: string, expected: string): string | undefined {
  const value = params.get(keyword);
  if (value === undefined) return undefined;
  if (value === true) throw badValue(keyword, expected);
  return value;
}

function parseSize(params: EsmtpParams, max: number): number | undefined {
  const text = valueOf(params, 'SIZE', 'a number of octets');
  if (text === undefined) return undefined;
  // RFC 1870 §3: size-value = 1*20DIGIT
  if (!/^\d{1,20}$/.test(text)) throw badValue('SIZE', 'a number of octets');
  const size = Number(text);
  // RFC 1870 §6.1: a declared size over the fixed maximum gets 552 at MAIL
  if (size > max) {
    throw new SmtpReplyError(C552ExceededStorage, EsMessageTooBig, `Message size exceeds fixed maximum message size (${max} octets)`);
  }
  return size;
}

function parseBody(params: EsmtpParams): BodyType {
  const text = valueOf(params, 'BODY', '7BIT, 8BITMIME or BINARYMIME');
  if (text === undefined) return '7BIT';
  const body = text.toUpperCase();
  // RFC 6152 §2: BODY=7BIT|8BITMIME; RFC 3030 §3: BODY=BINARYMIME
  if (body === '7BIT' || body === '8BITMIME' || body === 'BINARYMIME') return body;
  throw badValue('BODY', '7BIT, 8BITMIME or BINARYMIME');
}

function parseRet(params: EsmtpParams): 'FULL' | 'HDRS' | undefined {
  const text = valueOf(params, 'RET', 'FULL or HDRS');
  if (text === undefined) return undefined;
  // RFC 3461 §4.3: ret-value = "FULL" / "HDRS"
  const ret = text.toUpperCase();
  if (ret === 'FULL' || ret === 'HDRS') return ret;
  throw badValue('RET', 'FULL or HDRS');
}

function parseEnvid(params: EsmtpParams): string | undefined {
  const text = valueOf(params, 'ENVID', 'xtext');
  if (text === undefined) return undefined;
  if (text.length > MAX_ENVID) throw badValue('ENVID', `at most ${MAX_ENVID} characters`);
  return decodeXtext(text);
}

const KNOWN = new Set(['SIZE', 'BODY', 'SMTPUTF8', 'RET', 'ENVID']);

/**
 * Check and type MAIL FROM parameters. Throws {@link SmtpReplyError}:
 * 555 5.5.4 for unknown parameters or any parameter after HELO, 501 5.5.4
 * for malformed values, 552 5.3.4 for a declared SIZE over the maximum.
 */
export function parseMailParams(params: EsmtpParams, limits: MailParamLimits): MailParams {
  for (const keyword of params.keys()) {
    // RFC 5321 §4.1.1.11 and §4.1.2: unrecognised parameters get 555
    if (!KNOWN.has(keyword) || !limits.extended) {
      throw new SmtpReplyError(C555ParamsNotRecognized, EsInvalidArguments, `MAIL FROM parameter ${keyword} not recognized`);
    }
  }
  // RFC 6531 §3.4: SMTPUTF8 takes no value
  if (params.has('SMTPUTF8') && params.get('SMTPUTF8') !== true) throw badValue('SMTPUTF8', 'given without a value');
  const declaredSize = parseSize(params, limits.maxMessageSize);
  const dsnReturn = parseRet(params);
  const dsnEnvelopeId = parseEnvid(params);
  return {
    bodyType: parseBody(params),
    smtputf8: params.has('SMTPUTF8'),
    ...(declaredSize !== undefined ? { declaredSize } : {}),
    ...(dsnReturn !== undefined ? { dsnReturn } : {}),
    ...(dsnEnvelopeId !== undefined ? { dsnEnvelopeId } : {}),
  };
}
