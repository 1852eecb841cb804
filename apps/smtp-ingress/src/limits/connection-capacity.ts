/**
 * The cap on the sessions one smtp-ingress process holds (both listeners
 * together, SMTP_MAX_CONNECTIONS): the per-IP limit in Redis
 * (connection-limiter.ts) stops one host, this stops many hosts together
 * from exhausting a replica's file descriptors and memory with idle
 * connections (slowloris). Checked at accept, before any Redis round trip.
 * A connection over the cap gets `421 4.3.2` instead of the greeting
 * (RFC 5321 §3.1: a server may answer 421 instead of 220; RFC 3463 §3.5:
 * X.3.2 system not accepting network messages) and is closed; the client
 * retries later, as a sending MTA does after any 4xx.
 */
import type { Socket } from 'node:net';
import { C421ServiceNotAvailable, EsSystemNotAccepting, formatReply } from '@mail/smtp';
import { endSocket } from '../session/socket-output';

/** How long the refused client has to read the 421 and hang up before the socket is destroyed. */
const REFUSAL_GRACE_MS = 1_000;

/** The reply to a connection over the cap. */
export function capacityReply(hostname: string): string {
  return formatReply(C421ServiceNotAvailable, EsSystemNotAccepting, `${hostname} Too many open connections on this server, try again later`);
}

/** Writes the 421 and closes; never throws (the client may be gone already). */
export function refuseOverCapacity(socket: Socket, hostname: string): void {
  socket.write(capacityReply(hostname));
  void endSocket(socket, REFUSAL_GRACE_MS);
}
