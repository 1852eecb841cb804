/**
 * Stratified k-fold cross-validation: the messages of each group are
 * shuffled with a seeded generator and dealt round-robin to the folds, so
 * every fold holds about the same share of every group (and so of each
 * class). A slice (--limit) takes the same share of every group first.
 */

/** mulberry32: a tiny seeded generator, so a seed always deals the same folds. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function byGroup<T extends { readonly group: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  return groups;
}

/** Each item with its fold (0..folds-1); with `limit`, only that many items, every group in proportion (at least `folds` of each). */
export function dealFolds<T extends { readonly group: string }>(items: readonly T[], folds: number, seed: number, limit?: number): { item: T; fold: number }[] {
  const random = seededRandom(seed);
  const dealt: { item: T; fold: number }[] = [];
  for (const members of byGroup(items).values()) {
    const share = limit === undefined ? members.length : Math.min(members.length, Math.max(folds, Math.round((members.length * limit) / items.length)));
    shuffled(members, random)
      .slice(0, share)
      .forEach((item, i) => dealt.push({ item, fold: i % folds }));
  }
  return dealt;
}
