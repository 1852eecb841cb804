/**
 * The admin exchange with mailbox-store over NATS (`mail.v1.admin`): connect,
 * send one request, close. The outcome says whether the server did it,
 * refused it, or nobody answered.
 */
import { Bus, RemoteError, RequestFailedError } from '@mail/bus';
import { Requests, type AdminRequest, type AdminResponse } from '@mail/contracts';

export interface BusSettings {
  readonly natsUrl: string;
  readonly natsNamespace: string;
  readonly streamReplicas: number;
}

export type AdminOutcome =
  | { readonly kind: 'done'; readonly message: string; readonly rows?: Record<string, string>[] }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string };

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Admin commands hash passwords (scrypt); allow for a busy server. */
const requestTimeoutMs = 15_000;

function fromResponse(response: AdminResponse): AdminOutcome {
  return response.ok ? { kind: 'done', message: response.message, ...(response.rows ? { rows: response.rows } : {}) } : { kind: 'refused', ...response };
}

export async function sendAdminRequest(settings: BusSettings, request: AdminRequest): Promise<AdminOutcome> {
  const hint = 'is the system running (npm start)?';
  let bus: Bus;
  try {
    bus = await Bus.connect({ url: settings.natsUrl, name: `mailctl/${process.pid}`, namespace: settings.natsNamespace, replicas: settings.streamReplicas, provision: false, log: silent });
  } catch (error) {
    return { kind: 'unreachable', message: `cannot connect to NATS at ${settings.natsUrl} (${(error as Error).message}); ${hint}` };
  }
  try {
    return fromResponse(await bus.request(Requests.admin, request, requestTimeoutMs));
  } catch (error) {
    if (error instanceof RemoteError) return { kind: 'refused', code: error.code, message: error.message };
    if (error instanceof RequestFailedError) return { kind: 'unreachable', message: `no mailbox-store answered on ${settings.natsUrl}; ${hint}` };
    throw error;
  } finally {
    await bus.close();
  }
}
