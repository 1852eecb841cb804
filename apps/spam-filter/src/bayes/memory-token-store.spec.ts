import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from './memory-token-store';
import { distinctTokenIds } from './token-store';

describe('MemoryTokenStore', () => {
  it('counts each distinct token once per message, learns a message once and moves it when relearned as the other class', () => {
    const store = new MemoryTokenStore();
    const ids = distinctTokenIds(['free', 'prize', 'free']);
    expect(ids).toHaveLength(2);
    expect(store.learn('m1', 'spam', ids)).toBe('learned');
    expect(store.learn('m1', 'spam', ids)).toBe('duplicate');
    expect(store.learn('m2', 'ham', distinctTokenIds(['prize', 'meeting']))).toBe('learned');
    expect(store.corpusSize()).toEqual({ spam: 1, ham: 1 });
    const [free, prize] = ids as [string, string];
    expect(store.countsById([free, prize])).toEqual(
      new Map([
        [free, { spam: 1, ham: 0 }],
        [prize, { spam: 1, ham: 1 }],
      ]),
    );
    expect(store.learn('m1', 'ham', ids)).toBe('relearned');
    expect(store.corpusSize()).toEqual({ spam: 0, ham: 2 });
    expect(store.countsById([prize]).get(prize)).toEqual({ spam: 0, ham: 2 });
  });
});
