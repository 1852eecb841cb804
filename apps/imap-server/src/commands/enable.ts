/**
 * ENABLE (RFC 5161): turns on the extensions this server knows that change
 * its responses — IMAP4rev2 (RFC 9051 §6.3.1: UTF-8 quoted strings and
 * rev2 responses); anything else is ignored, as the RFC says. `* ENABLED`
 * lists what this command turned on.
 */
import { formatEnabled } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';

const ENABLEABLE = new Map([['IMAP4REV2', 'IMAP4rev2']]);

export const enable: CommandHandler<'ENABLE'> = async (ctx, command) => {
  const turnedOn: string[] = [];
  for (const name of command.capabilities) {
    const shown = ENABLEABLE.get(name);
    if (shown === undefined || ctx.session.enabled.has(name)) continue;
    ctx.session.enabled.add(name);
    turnedOn.push(shown);
  }
  await ctx.channel.write(formatEnabled(turnedOn));
  return { text: 'ENABLE completed' };
};
