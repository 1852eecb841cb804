/**
 * Replies with an attachment: raw octets after the reply's JSON, for a
 * request definition that declares `attachment` (@mail/contracts), so bulk
 * data (whole messages) crosses the bus without base64 and JSON escaping:
 * no string of the data on either side, nothing to encode or decode but the
 * small JSON. The header Mail-Attachment-Octets says how many of the
 * payload's last octets are the attachment; the JSON envelope is the rest.
 * A reply without the header is JSON only, as every reply was before.
 */
import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';

/** The header of a reply that carries an attachment: its length in octets, the payload's last ones. */
export const ATTACHMENT_OCTETS_HEADER = 'Mail-Attachment-Octets';

/** What a request handler returns to answer with an attachment: the response (validated as any reply) and the octets. */
export class AttachedReply<T> {
  constructor(
    readonly response: T,
    readonly octets: Uint8Array,
  ) {}
}

/** A response and the octets to send after it (the handler's side of requestWithAttachment). */
export function withAttachment<T>(response: T, octets: Uint8Array): AttachedReply<T> {
  return new AttachedReply(response, octets);
}

/** The payload and headers of a reply: the envelope's JSON, then the octets. */
export function encodeAttachedReply(envelope: Uint8Array, octets: Uint8Array): { payload: Uint8Array; headers: MsgHdrs } {
  const payload = new Uint8Array(envelope.length + octets.length);
  payload.set(envelope, 0);
  payload.set(octets, envelope.length);
  const headers = createHeaders();
  headers.set(ATTACHMENT_OCTETS_HEADER, String(octets.length));
  return { payload, headers };
}

/** A reply's payload split into its JSON and its attachment (undefined without the header); a reason when the header does not fit the payload. */
export function splitAttachedReply(
  payload: Uint8Array,
  headers: MsgHdrs | undefined,
  maxOctets: number | undefined,
): { ok: true; json: Uint8Array; attachment: Uint8Array | undefined } | { ok: false; reason: string } {
  const announced = headers?.get(ATTACHMENT_OCTETS_HEADER);
  if (announced === undefined || announced === '') return { ok: true, json: payload, attachment: undefined };
  const octets = /^\d{1,15}$/.test(announced) ? Number(announced) : Number.NaN;
  if (!Number.isSafeInteger(octets) || octets > payload.length) return { ok: false, reason: `${ATTACHMENT_OCTETS_HEADER} ${announced} does not fit a payload of ${payload.length} octets` };
  if (maxOctets === undefined) return { ok: false, reason: 'a reply with an attachment to a request whose definition declares none' };
  if (octets > maxOctets) return { ok: false, reason: `attachment of ${octets} octets, more than the ${maxOctets} the definition allows` };
  const jsonEnd = payload.length - octets;
  return { ok: true, json: payload.subarray(0, jsonEnd), attachment: payload.subarray(jsonEnd) };
}
