/**
 * The Kubernetes side of the NATS users: a Component that gives each
 * service's Deployment NATS_USER and NATS_PASSWORD from its own Secret and
 * mounts the NATS certificate authority (Secret `mail-nats-ca`, optional:
 * only where NATS_URL is `tls://`), mailctl's credentials inside the pods
 * it is run from, and example Secrets for a development cluster.
 */
import { stringify } from 'yaml';
import { serviceNames, type ServiceName } from '@mail/service-catalog';
import { mailctlCredentialsPath, mailctlHost, natsCaMountPath, natsCaSecret, natsServerSecret, secretNameOf, type NatsUser } from './nats-users';

const fromSecret = (name: string, key: string) => ({ name: key, valueFrom: { secretKeyRef: { name, key } } });

function deploymentPatch(service: ServiceName): object {
  const mountsMailctl = service === mailctlHost;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: service,
              env: [fromSecret(secretNameOf(service), 'NATS_USER'), fromSecret(secretNameOf(service), 'NATS_PASSWORD')],
              volumeMounts: [{ name: 'nats-tls', mountPath: natsCaMountPath, readOnly: true }, ...(mountsMailctl ? [{ name: 'nats-mailctl', mountPath: mailctlCredentialsPath, readOnly: true }] : [])],
            },
          ],
          volumes: [
            { name: 'nats-tls', secret: { secretName: natsCaSecret, optional: true, defaultMode: 0o440 } },
            ...(mountsMailctl ? [{ name: 'nats-mailctl', secret: { secretName: secretNameOf('mailctl'), optional: true, defaultMode: 0o440 } }] : []),
          ],
        },
      },
    },
  };
}

/** deploy/kubernetes/components/nats-auth/kustomization.yaml */
export function natsAuthComponent(): object {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    patches: serviceNames.map((service) => ({ target: { kind: 'Deployment', name: service }, patch: stringify(deploymentPatch(service)).trimEnd() })),
  };
}

const exampleAnnotation = { 'mail-platform/example-values': 'true: development placeholders, replace before real use' };

export function examplePassword(user: NatsUser): string {
  return `EXAMPLE-CHANGE-ME-${user.party}`;
}

/** The Secrets of the pods (platform namespace), example values. */
export function examplePlatformSecrets(users: readonly NatsUser[]): object[] {
  return users.map((user) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: user.secretName, labels: { 'app.kubernetes.io/name': user.secretName }, annotations: exampleAnnotation },
    type: 'Opaque',
    stringData: { NATS_USER: user.party, NATS_PASSWORD: examplePassword(user) },
  }));
}

/** The Secret of the NATS server (its own namespace), the same example values. */
export function exampleServerSecret(users: readonly NatsUser[]): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: natsServerSecret, namespace: 'nats', annotations: exampleAnnotation },
    type: 'Opaque',
    stringData: Object.fromEntries(users.map((user) => [user.party, examplePassword(user)])),
  };
}
