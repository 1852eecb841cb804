/**
 * ENABLE (RFC 5161): turns on the extensions this server knows that change
 * its responses — IMAP4rev2 (RFC 9051 §6.3.1: UTF-8 quoted strings and
 * rev2 responses), CONDSTORE (RFC 7162 §3.1: MODSEQ in FETCH updates) and
 * QRESYNC (RFC 7162 §3.2.3: VANISHED instead of EXPUNGE, SELECT's QRESYNC
 * parameter; it turns CONDSTORE on too); anything else is ignored, as the
 * RFC says. `* ENABLED` lists what this command turned on.
 */
import { formatEnabled } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';

/** What the client may enable, by the upper-cased name it sends: the name shown in ENABLED, and what it turns on besides. */
const ENABLEABLE = new Map<string, { readonly shown: string; readonly implies: readonly string[] }>([
  ['IMAP4REV2', { shown: 'IMAP4rev2', implies: [] }],
  ['CONDSTORE', { shown: 'CONDSTORE', implies: [] }],
  // RFC 7162 §3.2.3: ENABLE QRESYNC implies ENABLE CONDSTORE
  ['QRESYNC', { shown: 'QRESYNC', implies: ['CONDSTORE'] }],
]);

export const enable: CommandHandler<'ENABLE'> = async (ctx, command) => {
  const turnedOn: string[] = [];
  for (const name of command.capabilities) {
    const extension = ENABLEABLE.get(name);
    if (extension === undefined || ctx.session.enabled.has(name)) continue;
    ctx.session.enabled.add(name);
    for (const implied of extension.implies) ctx.session.enabled.add(implied);
    turnedOn.push(extension.shown);
  }
  await ctx.channel.write(formatEnabled(turnedOn));
  return { text: 'ENABLE completed' };
};
