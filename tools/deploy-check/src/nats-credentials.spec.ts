import { describe, expect, it } from 'vitest';
import type { K8sObject } from './manifest-stream';
import { natsCredentialProblems } from './nats-credentials';
import { RenderedManifests } from './rendered-manifests';
import { services } from './workspace';

/** A Deployment per service with the env and volumes given; mailbox-store also mounts mailctl's credentials. */
function deployments(env: (service: string) => object[], withCa: boolean): K8sObject[] {
  return services.map((service) => {
    const volumes = [
      ...(withCa ? [{ name: 'ca', secret: { secretName: 'mail-nats-ca' } }] : []),
      ...(service === 'mailbox-store' ? [{ name: 'ctl', secret: { secretName: 'mail-nats-mailctl' } }] : []),
    ];
    const volumeMounts = [...(withCa ? [{ name: 'ca', mountPath: '/etc/mail/nats-tls' }] : []), ...(service === 'mailbox-store' ? [{ name: 'ctl', mountPath: '/etc/mail/nats-mailctl' }] : [])];
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: service },
      spec: { template: { spec: { containers: [{ name: service, env: env(service), volumeMounts }], volumes } } },
    } as unknown as K8sObject;
  });
}

const own = (service: string) => ['NATS_USER', 'NATS_PASSWORD'].map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: `mail-nats-${service}`, key } } }));
const settings = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mail-config' }, data }) as unknown as K8sObject;

describe('natsCredentialProblems', () => {
  it('accepts each service with its own Secret, and TLS with the mounted authority', () => {
    const manifests = new RenderedManifests([...deployments(own, true), settings({ NATS_URL: 'tls://nats:4222', NATS_TLS_CA_FILE: '/etc/mail/nats-tls/ca.crt' })]);
    expect(natsCredentialProblems(manifests, { tls: true })).toEqual([]);
  });

  it("names a service without credentials, one with another's, and a Secret naming the wrong user", () => {
    const env = (service: string) => (service === 'pop3-server' ? [] : service === 'spam-filter' ? own('smtp-ingress') : own(service));
    const wrongUser = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mail-nats-outbound-relay' }, stringData: { NATS_USER: 'mailctl', NATS_PASSWORD: 'x' } } as unknown as K8sObject;
    const problems = natsCredentialProblems(new RenderedManifests([...deployments(env, false), wrongUser]), { tls: false });
    expect(problems).toEqual([
      'spam-filter: NATS_USER does not come from Secret mail-nats-spam-filter (key NATS_USER); it would reach NATS without its own user',
      'spam-filter: NATS_PASSWORD does not come from Secret mail-nats-spam-filter (key NATS_PASSWORD); it would reach NATS without its own user',
      'pop3-server: NATS_USER does not come from Secret mail-nats-pop3-server (key NATS_USER); it would reach NATS without its own user',
      'pop3-server: NATS_PASSWORD does not come from Secret mail-nats-pop3-server (key NATS_PASSWORD); it would reach NATS without its own user',
      'Secret mail-nats-outbound-relay: NATS_USER is mailctl, expected outbound-relay (the user the NATS permissions name)',
    ]);
  });

  it('requires tls:// and the authority where TLS is promised', () => {
    const problems = natsCredentialProblems(new RenderedManifests([...deployments(own, false), settings({ NATS_URL: 'nats://nats:4222' })]), { tls: true });
    expect(problems).toContain('smtp-ingress: does not mount Secret mail-nats-ca at /etc/mail/nats-tls');
    expect(problems).toContain('NATS_URL is nats://nats:4222, expected tls://: the NATS credentials would cross the network in clear text');
    expect(problems).toContain('NATS_TLS_CA_FILE is unset, expected a file under /etc/mail/nats-tls');
  });
});
