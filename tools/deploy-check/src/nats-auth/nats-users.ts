/**
 * The NATS users of a deployment: one per bus party (the five services and
 * mailctl), each with the permissions @mail/contracts derives from the
 * catalog, its password from an environment variable of the NATS server
 * (filled from the Secret `nats-users` in NATS's namespace), and the Secret
 * in the platform's namespace its pods read NATS_USER and NATS_PASSWORD from.
 */
import { BusNamespace, busParties, busPermissions, type BusParty, type BusPermissions } from '@mail/contracts';

export interface NatsUser {
  readonly party: BusParty;
  readonly permissions: BusPermissions;
  /** The NATS server's environment variable holding the password: `SMTP_INGRESS_NATS_PASSWORD`. */
  readonly passwordVariable: string;
  /** The Secret (platform namespace) with NATS_USER and NATS_PASSWORD for the party's pods: `mail-nats-smtp-ingress`. */
  readonly secretName: string;
}

/** The Secret in the NATS server's namespace: one key per party (its name), the password. */
export const natsServerSecret = 'nats-users';

/** The Secret (platform namespace) with `ca.crt`, the authority of the NATS server's certificate, and where pods mount it. */
export const natsCaSecret = 'mail-nats-ca';
export const natsCaMountPath = '/etc/mail/nats-tls';

/** mailctl runs inside a mailbox-store pod (`kubectl exec`); its credentials are mounted there, read by `mailctl` at each run. */
export const mailctlHost = 'mailbox-store';
export const mailctlCredentialsPath = '/etc/mail/nats-mailctl';

export function secretNameOf(party: BusParty): string {
  return `mail-nats-${party}`;
}

export function natsUsers(namespace: string): NatsUser[] {
  const ns = new BusNamespace(namespace);
  return busParties.map((party) => ({
    party,
    permissions: busPermissions(ns, party),
    passwordVariable: `${party.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`,
    secretName: secretNameOf(party),
  }));
}
