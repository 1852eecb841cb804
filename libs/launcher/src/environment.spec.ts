import { describe, expect, it } from 'vitest';
import { listeners } from '@mail/service-catalog';
import { listenerPort, platformEnvironment, replicaVariables, serviceListeners, serviceVariables, type PlatformSettings } from './environment';

const settings: PlatformSettings = {
  natsUrl: 'nats://127.0.0.1:4222',
  namespace: 'mail',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/mail',
  redisUrl: 'redis://127.0.0.1:6379',
  opsPorts: 'catalog',
  tls: { certFile: '/w/.data/tls/cert.pem', keyFile: '/w/.data/tls/key.pem' },
};

describe('platformEnvironment', () => {
  it('tells every service the infrastructure, the namespace and the caller’s variables, which win', async () => {
    const { env } = await platformEnvironment({ ...settings, redisKeyPrefix: 'e2e:x:', variables: { LOG_LEVEL: 'warn', NATS_NAMESPACE: 'alice' } }, {});
    expect(env).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NAMESPACE: 'alice',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mail',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'e2e:x:',
      LOG_LEVEL: 'warn',
    });
  });

  it('opens a fixed port, a free one for 0, else what the environment or the default says', async () => {
    const { env, ports } = await platformEnvironment({ ...settings, listenerPorts: { smtp: 2600, pop3: 0 } }, { SUBMISSION_PORT: '2700' });
    expect(env['SMTP_PORT']).toBe('2600');
    expect(Number(env['POP3_PORT'])).toBeGreaterThan(0);
    expect(ports).toEqual({ smtp: 2600, submission: 2700, pop3: Number(env['POP3_PORT']), pop3s: undefined, imap: 1143, imaps: undefined });
    expect(env['SUBMISSION_PORT']).toBeUndefined();
  });
});

describe('serviceVariables', () => {
  it('gives each service its catalog ops port, or none for a free one chosen at start', () => {
    expect(serviceVariables('spam-filter', settings)).toEqual({ HTTP_PORT: '9102' });
    expect(serviceVariables('spam-filter', { ...settings, opsPorts: 'free' })).toEqual({});
  });

  it('hands the certificate only to the services that offer TLS', () => {
    expect(serviceVariables('smtp-ingress', settings)['TLS_CERT_FILE']).toBe('/w/.data/tls/cert.pem');
    expect(serviceVariables('pop3-server', settings)['TLS_KEY_FILE']).toBe('/w/.data/tls/key.pem');
    expect(serviceVariables('outbound-relay', settings)['TLS_CERT_FILE']).toBeUndefined();
    expect(serviceVariables('smtp-ingress', { ...settings, tls: undefined })['TLS_CERT_FILE']).toBeUndefined();
  });
});

describe('listenerPort', () => {
  it('reads the variable when it holds a port, else the default; POP3S is off unless set', () => {
    expect(listenerPort(listeners.smtp, { SMTP_PORT: '2626' })).toBe(2626);
    expect(listenerPort(listeners.smtp, { SMTP_PORT: 'x' })).toBe(2525);
    expect(listenerPort(listeners.smtp, { SMTP_PORT: '70000' })).toBe(2525);
    expect(listenerPort(listeners.pop3s, {})).toBeUndefined();
  });
});

describe('serviceListeners', () => {
  it('names the listeners of a service from the catalog, none for a service without', () => {
    expect(serviceListeners('imap-server')).toEqual(['imap', 'imaps']);
    expect(serviceListeners('smtp-ingress')).toEqual(['smtp', 'submission', 'submissions']);
    expect(serviceListeners('mailbox-store')).toEqual([]);
  });
});

describe('replicaVariables', () => {
  /** Hands out 30001, 30002, ... so each assertion knows which port went where. */
  const counting = () => {
    let next = 30_000;
    return async () => ++next;
  };
  const ports = { smtp: 2525, submission: 2587, submissions: undefined, pop3: 1110, pop3s: 1995, imap: 1143, imaps: undefined };

  it('moves each listener the platform has on, and the ops port, to a port of its own; one that is off stays off', async () => {
    expect(await replicaVariables('imap-server', ports, counting())).toEqual({ env: { HTTP_PORT: '30001', IMAP_PORT: '30002' }, ports: { imap: 30002 } });
    expect(await replicaVariables('pop3-server', ports, counting())).toEqual({
      env: { HTTP_PORT: '30001', POP3_PORT: '30002', POP3S_PORT: '30003' },
      ports: { pop3: 30002, pop3s: 30003 },
    });
  });

  it('gives a service without listeners only an ops port of its own (the catalog one is the first process’s)', async () => {
    expect(await replicaVariables('spam-filter', ports, counting())).toEqual({ env: { HTTP_PORT: '30001' }, ports: {} });
  });

  it('draws real free ports by default, none the same', async () => {
    const { env, ports: own } = await replicaVariables('smtp-ingress', ports);
    expect(new Set([env['HTTP_PORT'], env['SMTP_PORT'], env['SUBMISSION_PORT']]).size).toBe(3);
    expect(own).toEqual({ smtp: Number(env['SMTP_PORT']), submission: Number(env['SUBMISSION_PORT']) });
    expect(env['SUBMISSIONS_PORT']).toBeUndefined();
  });
});
