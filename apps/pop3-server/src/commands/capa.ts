/** CAPA (RFC 2449 §5): the capability list. */
import { formatCapabilities } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { passwordsAllowed } from './login';

/** RFC 2449 §6.9: the implementation name; no version, to give attackers less to go on. */
export const IMPLEMENTATION = 'mail-platform pop3-server';

/**
 * Lists TOP, UIDL, RESP-CODES, AUTH-RESP-CODE, PIPELINING, EXPIRE NEVER and
 * IMPLEMENTATION always; USER and SASL PLAIN when passwords may be sent on
 * this connection; STLS while TLS is configured but not yet active (RFC 2595
 * §4); LOGIN-DELAY when POP3_LOGIN_DELAY is set. RFC 2449 §5: the same list
 * in both states (LOGIN-DELAY and EXPIRE do not vary per user here).
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
      // RFC 2449 §6.7: no retention policy deletes mail here; only the user does.
      expire: 'NEVER',
      implementation: IMPLEMENTATION,
      // RFC 2449 §6.5: announced only when a delay is enforced.
      ...(ctx.loginDelay.seconds > 0 ? { loginDelay: ctx.loginDelay.seconds } : {}),
    }),
  );
};
