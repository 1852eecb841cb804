import { describe, expect, it } from 'vitest';
import { serviceEnvironment, services, type ServiceSpec, type StackSettings } from './services';

const stack: StackSettings = {
  natsUrl: 'nats://127.0.0.1:4222',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/mail',
  redisUrl: 'redis://127.0.0.1:6379',
  tls: { certFile: '/w/.data/tls/cert.pem', keyFile: '/w/.data/tls/key.pem' },
};

const service = (name: string): ServiceSpec => {
  const found = services.find((s) => s.name === name);
  if (!found) throw new Error(name);
  return found;
};

describe('services', () => {
  it('gives every service its own ops port', () => {
    expect(services.map((s) => [s.name, s.httpPort])).toEqual([
      ['smtp-ingress', 9101],
      ['spam-filter', 9102],
      ['mailbox-store', 9103],
      ['pop3-server', 9104],
      ['outbound-relay', 9105],
    ]);
  });
});

describe('serviceEnvironment', () => {
  it('passes the user environment through and adds the stack settings', () => {
    const env = serviceEnvironment(service('spam-filter'), { PATH: '/bin', SMTP_PORT: '2525', DNSBL_ZONES: 'zen.example', LOG_LEVEL: 'debug', UNSET: undefined }, stack);
    expect(env).toEqual({
      PATH: '/bin',
      SMTP_PORT: '2525',
      DNSBL_ZONES: 'zen.example',
      LOG_LEVEL: 'debug',
      NATS_URL: 'nats://127.0.0.1:4222',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mail',
      REDIS_URL: 'redis://127.0.0.1:6379',
      NATS_NAMESPACE: 'mail',
      HTTP_PORT: '9102',
    });
  });

  it('overrides a stale URL or HTTP_PORT from the user environment', () => {
    const env = serviceEnvironment(service('mailbox-store'), { NATS_URL: 'nats://127.0.0.1:1', HTTP_PORT: '8080' }, stack);
    expect(env['NATS_URL']).toBe('nats://127.0.0.1:4222');
    expect(env['HTTP_PORT']).toBe('9103');
  });

  it('keeps a chosen namespace', () => {
    expect(serviceEnvironment(service('spam-filter'), { NATS_NAMESPACE: 'alice' }, stack)['NATS_NAMESPACE']).toBe('alice');
  });

  it('hands the certificate only to the services that offer TLS', () => {
    expect(serviceEnvironment(service('smtp-ingress'), {}, stack)['TLS_CERT_FILE']).toBe('/w/.data/tls/cert.pem');
    expect(serviceEnvironment(service('pop3-server'), {}, stack)['TLS_KEY_FILE']).toBe('/w/.data/tls/key.pem');
    expect(serviceEnvironment(service('outbound-relay'), {}, stack)['TLS_CERT_FILE']).toBeUndefined();
    expect(serviceEnvironment(service('smtp-ingress'), {}, { ...stack, tls: undefined })['TLS_CERT_FILE']).toBeUndefined();
  });
});
