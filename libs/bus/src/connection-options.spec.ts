import { describe, expect, it } from 'vitest';
import { NatsSettingsError, natsAuthOptions } from './connection-options';

describe('natsAuthOptions', () => {
  it('connects anonymously and in clear text when nothing is set', () => {
    expect(natsAuthOptions({})).toEqual({});
  });

  it('takes a user with its password, and TLS verified against a CA with an optional client certificate', () => {
    expect(natsAuthOptions({ natsUser: 'pop3-server', natsPassword: 'secret', natsTlsCaFile: '/ca.pem' })).toEqual({ user: 'pop3-server', pass: 'secret', tls: { caFile: '/ca.pem' } });
    expect(natsAuthOptions({ natsToken: 't', natsTlsCertFile: '/c.pem', natsTlsKeyFile: '/k.pem' })).toEqual({ token: 't', tls: { certFile: '/c.pem', keyFile: '/k.pem' } });
  });

  it('reads a credentials file through an authenticator', () => {
    expect(natsAuthOptions({ natsCredsFile: '/etc/nats/user.creds' }).authenticator).toBeTypeOf('function');
  });

  it('refuses half a pair or two ways to authenticate, naming the variables', () => {
    expect(() => natsAuthOptions({ natsUser: 'a' })).toThrow(new NatsSettingsError('NATS_USER and NATS_PASSWORD go together: set both or neither'));
    expect(() => natsAuthOptions({ natsPassword: 'a' })).toThrow(/NATS_USER and NATS_PASSWORD/);
    expect(() => natsAuthOptions({ natsUser: 'a', natsPassword: 'b', natsToken: 'c' })).toThrow(/not NATS_USER and NATS_TOKEN/);
    expect(() => natsAuthOptions({ natsTlsCertFile: '/c.pem' })).toThrow(/NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE/);
  });
});
