/**
 * How mailctl reaches the bus: the NATS settings every service reads
 * (@mail/config commonConfig: URL, namespace, credentials, TLS), and one
 * connection as the `mailctl` party — the admin identity of the NATS
 * permissions (@mail/contracts busPermissions), which may send the admin
 * requests and read the streams, and provisions nothing.
 */
import { Bus, type NatsConnectionSettings } from '@mail/bus';
import { commonConfig, loadConfig } from '@mail/config';

export interface BusSettings extends NatsConnectionSettings {
  readonly natsUrl: string;
  readonly natsNamespace: string;
  readonly streamReplicas: number;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The settings from the environment; a bad value stops mailctl with one line naming the variable. */
export function loadBusSettings(): BusSettings {
  return loadConfig('mailctl', {
    natsUrl: commonConfig.natsUrl,
    natsNamespace: commonConfig.natsNamespace,
    streamReplicas: commonConfig.streamReplicas,
    natsUser: commonConfig.natsUser,
    natsPassword: commonConfig.natsPassword,
    natsToken: commonConfig.natsToken,
    natsCredsFile: commonConfig.natsCredsFile,
    natsTlsCaFile: commonConfig.natsTlsCaFile,
    natsTlsCertFile: commonConfig.natsTlsCertFile,
    natsTlsKeyFile: commonConfig.natsTlsKeyFile,
  });
}

/** A connection as mailctl (never provisioning anything); the caller closes it. */
export function connectAsMailctl(settings: BusSettings): Promise<Bus> {
  return Bus.connect({
    url: settings.natsUrl,
    name: `mailctl/${process.pid}`,
    namespace: settings.natsNamespace,
    replicas: settings.streamReplicas,
    provision: false,
    identity: 'mailctl',
    connection: settings,
    log: silent,
  });
}
