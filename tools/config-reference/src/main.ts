/**
 * npm run config-reference: writes docs/configuration.md from the typed
 * configuration declarations (configuration-model.ts says how they are read).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurationModel } from './configuration-model';
import { renderReference } from './render-reference';
import { referencePath, workspaceProgram, workspaceRoot } from './workspace-program';

const model = configurationModel(workspaceProgram(workspaceRoot), workspaceRoot);
const text = renderReference(model);
const target = join(workspaceRoot, referencePath);
const previous = (() => {
  try {
    return readFileSync(target, 'utf8');
  } catch {
    return undefined;
  }
})();
const variables = model.sections.reduce((count, section) => count + section.rows.length, 0);
if (previous === text) {
  process.stdout.write(`${referencePath} is up to date (${variables} variables)\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`${referencePath} written (${variables} variables)\n`);
}
