/** The configured zones with their shared health, as `mailctl spam stats` shows them. */
import type { DnsListZoneState } from '@mail/contracts';
import type { ZoneKind } from './self-test';
import type { ZoneHealth } from './zone-health';
import type { ZoneSpec } from './zone-spec';

export async function zoneStates(health: ZoneHealth, zones: readonly { spec: ZoneSpec; kind: ZoneKind }[]): Promise<DnsListZoneState[]> {
  const states = await health.states(zones.map((z) => z.spec.zone));
  return zones.map(({ spec, kind }) => {
    const state = states.get(spec.zone);
    return {
      zone: spec.zone,
      kind,
      weight: spec.weight,
      healthy: state?.healthy ?? true,
      ...(state?.detail ? { detail: state.detail } : {}),
      ...(state?.checkedAt ? { checkedAt: state.checkedAt } : {}),
    };
  });
}
