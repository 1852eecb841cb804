// Streaming Content-Transfer-Encoding decoders for BINARY[part] and
// BINARY.SIZE (RFC 3516 §4.1): base64 (RFC 2045 §6.8) and quoted-printable
// (RFC 2045 §6.7); identity for 7bit, 8bit and binary. An unknown encoding
// is NO [UNKNOWN-CTE] (RFC 3516 §4.3). Each decoder keeps at most a few
// octets (base64) or one line (quoted-printable, bounded) between chunks.

import { ImapResponseError } from './response-error';

/** A streaming decoder: feed encoded chunks, collect decoded ones. */
export interface TransferDecoder {
  push(chunk: Buffer): Buffer;
  end(): Buffer;
}

const MAX_QP_LINE = 65_536;
const EMPTY = Buffer.alloc(0);

class IdentityDecoder implements TransferDecoder {
  push(chunk: Buffer): Buffer {
    return chunk;
  }
  end(): Buffer {
    return EMPTY;
  }
}

class Base64Decoder implements TransferDecoder {
  #rest = '';
  push(chunk: Buffer): Buffer {
    // RFC 2045 §6.8: characters outside the alphabet are ignored; "=" ends the data
    const text = this.#rest + chunk.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '');
    const whole = text.length - (text.length % 4);
    this.#rest = text.slice(whole);
    return Buffer.from(text.slice(0, whole), 'base64');
  }
  end(): Buffer {
    const rest = this.#rest;
    this.#rest = '';
    return rest.length < 2 ? EMPTY : Buffer.from(rest, 'base64');
  }
}

const HEX = /^[0-9A-Fa-f]{2}$/;

class QuotedPrintableDecoder implements TransferDecoder {
  #line: Buffer = EMPTY;
  push(chunk: Buffer): Buffer {
    const data = this.#line.length === 0 ? chunk : Buffer.concat([this.#line, chunk]);
    const lastLf = data.lastIndexOf(0x0a);
    let complete = lastLf < 0 ? EMPTY : data.subarray(0, lastLf + 1);
    this.#line = lastLf < 0 ? data : data.subarray(lastLf + 1);
    if (this.#line.length > MAX_QP_LINE) {
      // a line too long to hold: decode all but a possibly cut escape
      complete = Buffer.concat([complete, this.#line.subarray(0, -3)]);
      this.#line = this.#line.subarray(-3);
    }
    return decodeQuotedPrintable(complete, false);
  }
  end(): Buffer {
    const rest = this.#line;
    this.#line = EMPTY;
    return decodeQuotedPrintable(rest, true);
  }
}

function decodeQuotedPrintable(data: Buffer, final: boolean): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const o = data[i] as number;
    if (o === 0x3d) {
      const next = data[i + 1];
      // RFC 2045 §6.7 rule 5: "=" at the end of a line is a soft line break (transport padding allowed before it)
      let j = i + 1;
      while (data[j] === 0x20 || data[j] === 0x09) j++;
      if (data[j] === 0x0a || (data[j] === 0x0d && data[j + 1] === 0x0a) || (j >= data.length && final)) {
        i = data[j] === 0x0d ? j + 1 : j;
        continue;
      }
      const hex = data.toString('latin1', i + 1, i + 3);
      if (next !== undefined && HEX.test(hex)) {
        out[n++] = parseInt(hex, 16);
        i += 2;
        continue;
      }
    }
    if ((o === 0x20 || o === 0x09) && trailingWhitespace(data, i)) continue; // RFC 2045 §6.7 rule 3: trailing whitespace is padding
    out[n++] = o;
  }
  return out.subarray(0, n);
}

function trailingWhitespace(data: Buffer, i: number): boolean {
  let j = i;
  while (data[j] === 0x20 || data[j] === 0x09) j++;
  return data[j] === 0x0a || (data[j] === 0x0d && data[j + 1] === 0x0a);
}

/**
 * The decoder for a Content-Transfer-Encoding (as MimePart holds it, upper-cased).
 *
 * @throws ImapResponseError NO [UNKNOWN-CTE] for an encoding this server cannot decode (RFC 3516 §4.3).
 */
export function createTransferDecoder(encoding: string): TransferDecoder {
  switch (encoding.toUpperCase()) {
    case '7BIT':
    case '8BIT':
    case 'BINARY':
      return new IdentityDecoder();
    case 'BASE64':
      return new Base64Decoder();
    case 'QUOTED-PRINTABLE':
      return new QuotedPrintableDecoder();
    default:
      throw new ImapResponseError('NO', `Unknown Content-Transfer-Encoding ${encoding.slice(0, 40)}`, { code: 'UNKNOWN-CTE' });
  }
}

/** Decodes a whole body at once (small parts, BINARY.SIZE of held content). */
export function decodeTransferEncoding(encoding: string, body: Buffer): Buffer {
  const decoder = createTransferDecoder(encoding);
  return Buffer.concat([decoder.push(body), decoder.end()]);
}
