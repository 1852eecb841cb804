/**
 * The admin exchange with mailbox-store over NATS (`mail.v1.admin`). The
 * outcome says whether the server did it, refused it, or nobody answered.
 */
import { Requests, type AdminRequest } from '@mail/contracts';
import { sendServiceRequest, type BusSettings } from './service-request';

export type { BusSettings } from './service-request';

export type AdminOutcome =
  | { readonly kind: 'done'; readonly message: string; readonly rows?: Record<string, string>[] }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string };

export async function sendAdminRequest(settings: BusSettings, request: AdminRequest): Promise<AdminOutcome> {
  const outcome = await sendServiceRequest(settings, 'mailbox-store', Requests.admin, request);
  if (outcome.kind !== 'done') return outcome;
  const response = outcome.response;
  return response.ok ? { kind: 'done', message: response.message, ...(response.rows ? { rows: response.rows } : {}) } : { kind: 'refused', ...response };
}
