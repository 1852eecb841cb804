/**
 * Several processes of one service against the same NATS namespace,
 * PostgreSQL database and Redis prefix — the replicas of a Deployment — with
 * the restart Kubernetes does in a rolling update: SIGTERM, wait for the
 * process to drain and exit, start it again (here on the same listener
 * ports, which the clients know), wait until /readyz answers.
 */
import { startServiceProcess, type ServiceName, type ServiceProcess } from '@mail/testing';

export class ReplicaSet {
  readonly #processes: ServiceProcess[] = [];
  /** Exit code of every restarted replica, in order. */
  readonly exitCodes: (number | string)[] = [];

  private constructor(
    readonly app: ServiceName,
    private readonly env: Readonly<Record<string, string>>,
    private readonly replicaEnv: readonly Record<string, string>[],
  ) {}

  /** Starts one replica per entry of `replicaEnv` (its own ports), each with `env` too. */
  static async start(app: ServiceName, env: Readonly<Record<string, string>>, replicaEnv: readonly Record<string, string>[]): Promise<ReplicaSet> {
    const set = new ReplicaSet(app, env, replicaEnv);
    try {
      for (let i = 0; i < replicaEnv.length; i++) set.#processes[i] = await set.#startReplica(i);
    } catch (error) {
      await set.stop();
      throw error;
    }
    return set;
  }

  get size(): number {
    return this.replicaEnv.length;
  }

  replica(index: number): ServiceProcess {
    const process = this.#processes[index];
    if (process === undefined) throw new Error(`${this.app} replica ${index} is not running`);
    return process;
  }

  /** SIGTERM, wait for the exit (the drain), start again; resolves when the new process is ready. */
  async restart(index: number, drainTimeoutMs = 90_000): Promise<void> {
    this.exitCodes.push(await this.replica(index).stop('SIGTERM', drainTimeoutMs));
    this.#processes[index] = await this.#startReplica(index);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.#processes.map((p) => p.stop('SIGTERM', 30_000)));
  }

  #startReplica(index: number): Promise<ServiceProcess> {
    return startServiceProcess(this.app, { ...this.env, ...this.replicaEnv[index] }, { readyTimeoutMs: 90_000 });
  }
}
