/**
 * NATS with JetStream: usable when a client connects and the JetStream API
 * answers (a plain nats-server without `-js` is not enough). Started locally
 * as `nats-server -js -sd .data/nats -a 127.0.0.1 -p <port>`.
 */
import { mkdir } from 'node:fs/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { findBinary } from '../binaries';
import { errorText } from '../launch-error';
import { choosePort, loopback, preferredPort } from '../ports';
import { workspaceRoot } from '@mail/launcher';
import { dataDirs } from '../workspace';
import { probeTimeoutMs, type InfrastructureKind, type ProbeResult } from './infrastructure';
import { waitForServer } from './wait-for-server';

const standardPort = 4222;

/** Connects and asks the JetStream API for the account's information. */
export async function probeNats(url: string): Promise<ProbeResult> {
  let connection;
  try {
    connection = await connect({ servers: url, timeout: probeTimeoutMs, reconnect: false, name: 'dev-stack probe' });
  } catch (error) {
    return { ok: false, reason: `cannot connect (${errorText(error)})` };
  }
  try {
    await jetstreamManager(connection, { timeout: probeTimeoutMs, checkAPI: true });
    return { ok: true, note: 'JetStream enabled' };
  } catch (error) {
    return { ok: false, reason: `answers but JetStream is not available (${errorText(error)})` };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export const nats: InfrastructureKind = {
  key: 'nats',
  title: 'NATS',
  envVar: 'NATS_URL',
  defaultUrl: `nats://${loopback}:${standardPort}`,
  debianPackage: 'nats-server',
  dataDir: dataDirs.nats,
  probe: probeNats,
  locate(env) {
    const binary = findBinary('nats-server', env);
    if (binary === undefined) return undefined;
    return async ({ group, configuredUrl }) => {
      await mkdir(dataDirs.nats, { recursive: true });
      const port = await choosePort(preferredPort(configuredUrl, standardPort));
      const child = group.start({
        name: 'nats',
        command: binary,
        args: ['-js', '-sd', dataDirs.nats, '-a', loopback, '-p', String(port)],
        cwd: workspaceRoot,
        printOutput: false,
        stopTimeoutMs: 10_000,
        tier: 0,
      });
      const url = `nats://${loopback}:${port}`;
      await waitForServer(child, () => probeNats(url), 15_000);
      return url;
    };
  },
};
