import { describe, expect, it } from 'vitest';
import { withDevelopmentDefaults } from './development-defaults';

describe('withDevelopmentDefaults', () => {
  it('lets loopback IMAP clients log in without STARTTLS unless the environment says otherwise', () => {
    expect(withDevelopmentDefaults({ SMTP_PORT: '25' })).toEqual({ SMTP_PORT: '25', IMAP_ALLOW_PLAINTEXT_AUTH: 'true' });
    expect(withDevelopmentDefaults({ IMAP_ALLOW_PLAINTEXT_AUTH: 'false' })['IMAP_ALLOW_PLAINTEXT_AUTH']).toBe('false');
    expect(withDevelopmentDefaults({ IMAP_ALLOW_PLAINTEXT_AUTH: ' ' })['IMAP_ALLOW_PLAINTEXT_AUTH']).toBe('true');
  });

  it('leaves the given environment as it was', () => {
    const env = {};
    withDevelopmentDefaults(env);
    expect(env).toEqual({});
  });
});
