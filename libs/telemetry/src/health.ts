/** Readiness checks: a service is ready when every dependency it cannot work without answers. */
export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessCheckOptions {
  /**
   * false for a dependency the service works on without (it fails open):
   * a failure is reported under `degraded` and the service stays ready.
   * Default true.
   */
  readonly gatesReadiness?: boolean;
}

export interface Readiness {
  ready: boolean;
  /** Checks that failed and keep the service from being ready. */
  failures: Record<string, string>;
  /** Checks that failed without keeping it from being ready; only present when there are some. */
  degraded?: Record<string, string>;
}

export class HealthChecks {
  private readonly checks = new Map<string, { check: ReadinessCheck; gatesReadiness: boolean }>();
  private draining = false;

  add(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): void {
    this.checks.set(name, { check, gatesReadiness: options.gatesReadiness ?? true });
  }

  /** After this, /readyz answers 503 so load balancers stop sending work (graceful drain). */
  markDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<Readiness> {
    const failures: Record<string, string> = {};
    const degraded: Record<string, string> = {};
    if (this.draining) failures['drain'] = 'service is shutting down';
    await Promise.all(
      [...this.checks].map(async ([name, { check, gatesReadiness }]) => {
        try {
          await check();
        } catch (error) {
          (gatesReadiness ? failures : degraded)[name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    return { ready: Object.keys(failures).length === 0, failures, ...(Object.keys(degraded).length > 0 ? { degraded } : {}) };
  }
}
