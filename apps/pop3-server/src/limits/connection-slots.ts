/**
 * Open-connection limits of pop3-server, checked before the greeting:
 *
 * - per client network (IPv4 address, IPv6 /64), shared by every replica
 *   through Redis (POP3_MAX_CONNECTIONS_PER_IP): @mail/login-limits'
 *   RedisConnectionSlots under the `pop3` key prefix, so one host cannot
 *   hold the maildrop service hostage with idle sockets (slowloris)
 *   whichever replica the load balancer picks;
 * - per process (POP3_MAX_CONNECTIONS), counted in memory by the listener
 *   (server.ts): the file descriptors and memory of one replica are bounded
 *   whatever the number of client networks.
 *
 * A refusal is `-ERR [SYS/TEMP]` (RFC 3206 §4: a temporary problem, try
 * later) in place of the greeting, then the connection is closed.
 */
import type { ConnectionRefusal } from '@mail/login-limits';
import { Pop3ResponseCode, Pop3ResponseError } from '@mail/pop3';

/** The `-ERR` sent instead of the greeting. */
export function connectionRefusedError(reason: ConnectionRefusal): Pop3ResponseError {
  const text = reason === 'per-ip' ? 'too many connections from your address, try again later' : 'too many open connections on this server, try again later';
  return new Pop3ResponseError(text, { responseCode: Pop3ResponseCode.SysTemp });
}
