/**
 * Turning CONDSTORE on (RFC 7162 §3.1): from the first CONDSTORE enabling
 * command — ENABLE CONDSTORE or QRESYNC (§3.2.3), SELECT/EXAMINE
 * (CONDSTORE), FETCH of MODSEQ or with CHANGEDSINCE, STORE UNCHANGEDSINCE,
 * SEARCH MODSEQ, STATUS HIGHESTMODSEQ — to the end of the connection, every
 * FETCH the server sends on its own (flag changes, STORE, an implicit
 * \Seen) carries UID and MODSEQ (session-state.ts wireOptions says how
 * updates are written; mailbox-sync.ts writes them).
 *
 * Every folder keeps mod-sequences (mailbox-store, migration 003), so
 * NOMODSEQ (§3.1.2.2) is never answered.
 */
import { formatStatusResponse } from '@mail/imap';
import type { CommandContext } from './command-context';

/** RFC 7162 §3.1.2.1: `* OK [HIGHESTMODSEQ n]`. */
export function highestModseqLine(modseq: number): string {
  return formatStatusResponse({ status: 'OK', code: { kind: 'HIGHESTMODSEQ', value: BigInt(modseq) }, text: 'Highest' });
}

/**
 * A CONDSTORE enabling command (RFC 7162 §3.1). The first one issued with a
 * mailbox selected also tells the client that mailbox's HIGHESTMODSEQ
 * (RFC 7162 §3.1.2.1): the modseq up to which the session has reported
 * every change, so a client that ignored it at SELECT has it now.
 */
export async function enableCondstore(ctx: CommandContext): Promise<void> {
  const { session } = ctx;
  if (session.enabled.has('CONDSTORE')) return;
  session.enabled.add('CONDSTORE');
  if (session.protocol.kind === 'selected') await ctx.channel.write(highestModseqLine(session.protocol.mailbox.highestModseq));
}

/**
 * A mod-sequence a client sent (RFC 7162 §7: up to 2^63 - 1) as the
 * contracts carry it (a JSON number, at most 2^53 - 1): stored modseqs are
 * far below, so a larger value compares the same once clamped.
 */
export function modseqValue(modseq: bigint): number {
  return modseq > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(modseq);
}
