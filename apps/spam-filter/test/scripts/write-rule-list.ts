/**
 * Writes src/rules/rule-list.generated.ts from the *.rule.ts files in
 * src/rules (`npx nx run spam-filter:rule-list`): adding a content rule is
 * adding its file and running this.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ruleListSource } from '../../src/rules/rule-list-source';

const folder = fileURLToPath(new URL('../../src/rules/', import.meta.url));
const target = `${folder}rule-list.generated.ts`;
await writeFile(target, ruleListSource(await readdir(folder)));
process.stdout.write(`wrote ${target}\n`);
