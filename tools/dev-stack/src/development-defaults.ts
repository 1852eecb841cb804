/**
 * Settings `npm start` gives the services unless the environment sets them:
 * a development stack on one machine, where a newcomer's first IMAP client
 * (curl, the banner's command) connects over loopback without STARTTLS.
 * IMAP_ALLOW_PLAINTEXT_AUTH admits plaintext passwords from loopback
 * clients only (imap-server's loopback check); every other client still
 * needs TLS first (RFC 9051 §11.1). Production keeps the default, false.
 */
export const developmentDefaults: Readonly<Record<string, string>> = {
  IMAP_ALLOW_PLAINTEXT_AUTH: 'true',
};

/** The environment with each development default filled in where the variable is unset or empty. */
export function withDevelopmentDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const filled: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(developmentDefaults)) if ((filled[name] ?? '').trim() === '') filled[name] = value;
  return filled;
}
