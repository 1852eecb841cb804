/**
 * Numbers as Kubernetes and the services' configuration write them: CPU and
 * memory quantities (`500m`, `1`, `256Mi`, `1G`) and durations (`30s`,
 * `1500ms`, `5m`; the form @mail/config reads).
 */

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimal: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A quantity in base units (cores, bytes); undefined when it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2] ?? '';
  const factor = binary[unit] ?? decimal[unit];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `30s` in milliseconds; undefined when it is not one. */
export function parseDuration(value: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value?.trim() ?? '');
  return match ? Number(match[1]) * (durationUnits[match[2] as string] as number) : undefined;
}
