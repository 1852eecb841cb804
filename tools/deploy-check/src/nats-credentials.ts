/**
 * Every service reaches NATS as its own user: NATS_USER and NATS_PASSWORD
 * come from its Secret mail-nats-<service> (components/nats-auth, generated
 * with the server's permissions by `npm run nats-auth`), and a rendered
 * Secret names the service itself as the user. mailctl's credentials are
 * mounted where operators run it. Where the overlay promises TLS, NATS_URL
 * is `tls://` and NATS_TLS_CA_FILE lies in the certificate authority every
 * Deployment mounts.
 */
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { serviceNames } from '@mail/service-catalog';
import { mailctlCredentialsPath, mailctlHost, natsCaMountPath, natsCaSecret, secretNameOf } from './nats-auth/nats-users';
import { mainContainer, type RenderedManifests } from './rendered-manifests';

export interface NatsCredentialExpectations {
  /** NATS over TLS, verified against the mounted authority. */
  readonly tls: boolean;
}

function secretValue(secret: ISecret, key: string): string | undefined {
  const data = secret.data?.[key];
  return secret.stringData?.[key] ?? (data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8'));
}

/** The Deployment mounts Secret `secretName` at `path` in its main container. */
function mounts(manifests: RenderedManifests, service: string, secretName: string, path: string): boolean {
  const workload = manifests.workloads().find((w) => w.name === service);
  const container = workload && mainContainer(workload);
  const volume = workload?.pod.volumes?.find((v) => v.secret?.secretName === secretName);
  return volume !== undefined && (container?.volumeMounts ?? []).some((mount) => mount.name === volume.name && mount.mountPath === path);
}

export function natsCredentialProblems(manifests: RenderedManifests, expected: NatsCredentialExpectations): string[] {
  const problems: string[] = [];
  for (const service of serviceNames) {
    const workload = manifests.workloads().find((w) => w.name === service && w.object.kind === 'Deployment');
    const container = workload && mainContainer(workload);
    if (!container) {
      problems.push(`${service}: no Deployment`);
      continue;
    }
    const secretName = secretNameOf(service);
    for (const variable of ['NATS_USER', 'NATS_PASSWORD']) {
      const reference = container.env?.find((e) => e.name === variable)?.valueFrom?.secretKeyRef;
      if (reference?.name !== secretName || reference.key !== variable)
        problems.push(`${service}: ${variable} does not come from Secret ${secretName} (key ${variable}); it would reach NATS without its own user`);
    }
    const secret = manifests.find<ISecret>('Secret', secretName);
    if (secret && secretValue(secret, 'NATS_USER') !== service)
      problems.push(`Secret ${secretName}: NATS_USER is ${secretValue(secret, 'NATS_USER')}, expected ${service} (the user the NATS permissions name)`);
    if (expected.tls && !mounts(manifests, service, natsCaSecret, natsCaMountPath)) problems.push(`${service}: does not mount Secret ${natsCaSecret} at ${natsCaMountPath}`);
  }
  if (!mounts(manifests, mailctlHost, secretNameOf('mailctl'), mailctlCredentialsPath))
    problems.push(`${mailctlHost}: mailctl's credentials (Secret ${secretNameOf('mailctl')}) are not mounted at ${mailctlCredentialsPath}`);
  if (expected.tls) {
    const url = manifests.setting('NATS_URL') ?? '';
    if (!url.startsWith('tls://')) problems.push(`NATS_URL is ${url || 'unset'}, expected tls://: the NATS credentials would cross the network in clear text`);
    const caFile = manifests.setting('NATS_TLS_CA_FILE');
    if (!caFile?.startsWith(`${natsCaMountPath}/`)) problems.push(`NATS_TLS_CA_FILE is ${caFile ?? 'unset'}, expected a file under ${natsCaMountPath}`);
  }
  return problems;
}
