#!/usr/bin/env node
// mailctl — account administration of the mail platform. Runs the build
// (dist/apps/mailctl/main.mjs, from `npx nx run mailctl:build`; `npm start`
// and `npm test` build it), the same file in a clone and in the image.
import { existsSync } from 'node:fs';
import { setSourceMapsSupport } from 'node:module';
import { fileURLToPath } from 'node:url';

const build = new URL('../../../dist/apps/mailctl/main.mjs', import.meta.url);
if (!existsSync(fileURLToPath(build))) {
  process.stderr.write(`mailctl: ${fileURLToPath(build)} is missing; build it with \`npx nx run mailctl:build\`\n`);
  process.exit(1);
}
setSourceMapsSupport(true);
await import(build.href);
