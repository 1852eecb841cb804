import { describe, expect, it } from 'vitest';
import { HealthChecks } from './health';
import { startOpsServer } from './ops-server';

describe('HealthChecks', () => {
  it('is ready when every check passes and names the ones that fail', async () => {
    const health = new HealthChecks();
    health.add('nats', () => undefined);
    expect(await health.readiness()).toEqual({ ready: true, failures: {} });
    health.add('postgres', () => {
      throw new Error('connection refused');
    });
    expect(await health.readiness()).toEqual({ ready: false, failures: { postgres: 'connection refused' } });
  });

  it('reports a failing check that does not gate readiness as degraded and stays ready', async () => {
    const health = new HealthChecks();
    health.add(
      'redis',
      () => {
        throw new Error('connect ECONNREFUSED');
      },
      { gatesReadiness: false },
    );
    expect(await health.readiness()).toEqual({ ready: true, failures: {}, degraded: { redis: 'connect ECONNREFUSED' } });
  });

  it('stops being ready while draining', async () => {
    const health = new HealthChecks();
    health.markDraining();
    expect((await health.readiness()).ready).toBe(false);
  });
});

describe('ops server', () => {
  it('serves /healthz, /readyz and /metrics', async () => {
    const health = new HealthChecks();
    const ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      health,
      metrics: (_req, res) => res.end('# metrics\n'),
    });
    try {
      const base = `http://127.0.0.1:${ops.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toBe('# metrics\n');
      health.markDraining();
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
    } finally {
      await ops.close();
    }
  });
});
