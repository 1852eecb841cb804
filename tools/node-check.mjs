/**
 * First step of `npm start`, `npm test` and the other npm scripts that run
 * the platform: stop with one line when this Node is older than package.json
 * `engines.node` asks. npm scripts find the Node that `npm ci` installs
 * (the exact-pinned `node` devDependency, node_modules/.bin/node) before the
 * system's; an older one means that install did not happen or did not finish.
 * Written for any Node (no syntax or API newer than Node 12).
 */
import { readFileSync } from 'node:fs';

const wanted = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const minimum = (/\d+(\.\d+){0,2}/.exec(wanted) || ['0'])[0].split('.').map(Number);
const running = process.versions.node.split('.').map(Number);

function older(a, b) {
  for (let i = 0; i < 3; i += 1) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) < (b[i] || 0);
  return false;
}

if (older(running, minimum)) {
  process.stderr.write(
    `node ${process.versions.node} (${process.execPath}) is older than this workspace needs (engines.node ${wanted}): ` +
      'run `npm ci`, which installs the pinned Node into node_modules/.bin for npm scripts and npx, then try again.\n',
  );
  process.exit(1);
}
