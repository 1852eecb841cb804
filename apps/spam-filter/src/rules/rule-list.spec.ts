import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defaultRuleScores } from '../verdict/rule-scores';
import { contentRules } from './content-rules';
import { ruleFileSuffix, ruleListSource } from './rule-list-source';

const folder = new URL('./', import.meta.url);
/** Prettier may fold or unfold the list: compare without layout. */
const layoutFree = (source: string) => source.replace(/\s+/g, '').replace(/,(?=[\]}])/g, '');

describe('rule-list.generated.ts', () => {
  it('lists exactly the *.rule.ts files of the folder (run `npx nx run spam-filter:rule-list` after adding one)', async () => {
    const written = await readFile(new URL('rule-list.generated.ts', folder), 'utf8');
    expect(layoutFree(written)).toBe(layoutFree(ruleListSource(await readdir(folder))));
  });

  it('gives every rule file a spec of its own', async () => {
    const files = await readdir(folder);
    const withoutSpec = files.filter((name) => name.endsWith(ruleFileSuffix) && !files.includes(name.replace(/\.ts$/, '.spec.ts')));
    expect(withoutSpec).toEqual([]);
  });

  it('names each rule once, in SpamAssassin style, apart from the fixed rules, with a modest score and a description', () => {
    const names = contentRules.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of contentRules) {
      expect(rule.name).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(Object.hasOwn(defaultRuleScores, rule.name)).toBe(false);
      expect(rule.score).toBeGreaterThan(0);
      expect(rule.score).toBeLessThanOrEqual(2);
      expect(rule.description.length).toBeGreaterThan(10);
    }
  });
});
