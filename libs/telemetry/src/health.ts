/** Readiness checks: a service is ready when every registered dependency answers. */
export type ReadinessCheck = () => Promise<void> | void;

export class HealthChecks {
  private readonly checks = new Map<string, ReadinessCheck>();
  private draining = false;

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** After this, /readyz answers 503 so load balancers stop sending work (graceful drain). */
  markDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<{ ready: boolean; failures: Record<string, string> }> {
    const failures: Record<string, string> = {};
    if (this.draining) failures['drain'] = 'service is shutting down';
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await check();
        } catch (error) {
          failures[name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    return { ready: Object.keys(failures).length === 0, failures };
  }
}
