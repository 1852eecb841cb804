/** CAPA (RFC 2449 §5): the capability list. */
import { formatCapabilities } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { passwordsAllowed } from './login';

/** RFC 2449 §6.9: the implementation name; no version, to give attackers less to go on. */
export const IMPLEMENTATION = 'mail-platform pop3-server';

/**
 * Lists TOP, UIDL, RESP-CODES, AUTH-RESP-CODE, PIPELINING and
 * IMPLEMENTATION always; USER and SASL PLAIN when passwords may be sent on
 * this connection; STLS while TLS is configured but not yet active (RFC 2595
 * §4). RFC 2449 §5: the same list in both states.
 */
export const handleCapa: CommandHandler<'CAPA'> = async (ctx) => {
  const passwords = passwordsAllowed(ctx);
  await ctx.channel.write(
    formatCapabilities({
      stls: ctx.settings.tls !== undefined && !ctx.channel.tlsActive,
      sasl: passwords ? ['PLAIN'] : [],
      user: passwords,
      // RFC 3206 §6: failed credentials carry [AUTH].
      authRespCode: true,
      implementation: IMPLEMENTATION,
    }),
  );
};
