/**
 * `nx run <app>:build` (node tools/build-app.mjs apps/<name>): one app
 * compiled into dist/apps/<name>/, run with
 * `node --enable-source-maps dist/apps/<name>/main.mjs`.
 *
 * - main.mjs is an esbuild bundle of src/main.ts and of the workspace
 *   libraries it imports (@mail/* are TypeScript sources, so they must be
 *   compiled in); third-party packages stay imports, resolved from the
 *   node_modules above dist/ (the workspace's, or the image's production
 *   ones). A package the app imports that is not a production dependency of
 *   the root package.json fails the build: the image would not have it.
 * - A file a module reaches at run time through
 *   `new URL('./x', import.meta.url)` must sit beside the bundle, since
 *   import.meta.url is then the bundle's: a `.ts` file (a worker entry) is
 *   bundled on its own as x.mjs (WorkerTask looks for x.mjs when x.ts is not
 *   there), a directory (SQL migrations) or any other file is copied as is.
 * - main.mjs first imports tls-on-demand.mjs (libs/runtime/src/tls-on-demand.ts,
 *   bundled beside it), which must run before any package loads.
 * - Source maps beside every bundle (.mjs.map, without the sources).
 * - The new build replaces the old one in two renames, so a process starting
 *   meanwhile (a test launching the service) finds a whole build.
 *
 * Plain JavaScript, so that it needs nothing but Node and esbuild.
 */
import { cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const workspaceRoot = fileURLToPath(new URL('..', import.meta.url));
const rootPackage = JSON.parse(await readFile(join(workspaceRoot, 'package.json'), 'utf8'));
const productionDependencies = new Set(Object.keys(rootPackage.dependencies ?? {}));
const builtins = new Set(builtinModules);
/** esbuild's target: the oldest Node the workspace accepts (engines.node, e.g. ^26.0.0 -> node26.0.0). */
const nodeTarget = `node${/\d+(\.\d+)*/.exec(rootPackage.engines.node)[0]}`;

/** `new URL('./relative', import.meta.url)` with a literal path. */
const moduleRelativeUrl = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

const projectRoot = process.argv[2];
if (!projectRoot || process.argv.length > 3) {
  console.error('usage: node tools/build-app.mjs apps/<name>');
  process.exit(2);
}
const appName = basename(projectRoot);
const target = join(workspaceRoot, 'dist', projectRoot);
/**
 * Where this run builds: on dist/'s file system (the swap is a rename) and
 * as deep as dist/apps/<name>, so the source maps' relative paths still hold.
 */
const outdir = join(workspaceRoot, 'dist', '.staging', `${appName}-${process.pid}`);

/** Output name (beside the bundle) → absolute source path, for everything reached by URL. */
const besideBundle = new Map();
const pending = [];

/**
 * Imported first by every main bundle (the banner comes before esbuild's
 * imports, so it is evaluated before any package): a service's node:tls
 * loads on demand (libs/runtime/src/tls-on-demand.ts).
 */
const firstImport = join(workspaceRoot, 'libs/runtime/src/tls-on-demand.ts');

/** Bundles one entry into `${outdir}/${name}.mjs`; `banner` is JavaScript put before everything. */
async function bundle(name, entry, banner) {
  await build({
    ...(banner === undefined ? {} : { banner: { js: banner } }),
    entryPoints: { [name]: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: nodeTarget,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [workspacePlugin],
  });
}

/** Bundles @mail/* sources, keeps packages external, and collects module-relative URLs. */
const workspacePlugin = {
  name: 'mail-workspace',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@mail/') || args.pluginData === resolvingPackageFile) return undefined;
      if (args.path.startsWith('node:') || builtins.has(args.path)) return { path: args.path, external: true };
      const name = packageName(args.path);
      if (!productionDependencies.has(name)) {
        return { errors: [{ text: `${name} is imported by ${relative(workspaceRoot, args.importer)} but is not in the dependencies of package.json (the image installs only those)` }] };
      }
      if (args.path === name) return { path: args.path, external: true };
      return { path: await nodeSubpath(esbuild, args, name), external: true };
    });
    esbuild.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      for (const match of text.matchAll(moduleRelativeUrl)) await placeBesideBundle(resolve(dirname(args.path), match[2]), args.path);
      return undefined;
    });
  },
};

/** Marks the plugin's own esbuild.resolve calls, which it lets esbuild answer. */
const resolvingPackageFile = Symbol('resolving a package file');

/**
 * The specifier under which Node's ESM loader finds a deep import of a
 * package: as written when the package has an `exports` map (which decides),
 * else the file itself with its extension (`mailauth/lib/dkim/sign` →
 * `mailauth/lib/dkim/sign.js`): Node adds no extensions to ES imports, as tsx did.
 */
async function nodeSubpath(esbuild, args, name) {
  const resolved = await esbuild.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: resolvingPackageFile });
  if (resolved.errors.length > 0) throw new Error(`${relative(workspaceRoot, args.importer)}: cannot resolve ${args.path}`);
  for (let dir = dirname(resolved.path); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').then(JSON.parse, () => undefined);
    if (manifest?.name !== name) continue;
    return manifest.exports === undefined ? `${name}/${relative(dir, resolved.path).split(sep).join('/')}` : args.path;
  }
  return args.path;
}

/** Queues a file or directory reached by URL, once; two different ones with one name cannot both sit beside the bundle. */
async function placeBesideBundle(source, importer) {
  const path = source.replace(/\/$/, '');
  const name = basename(path);
  const known = besideBundle.get(name);
  if (known === path) return;
  if (known !== undefined)
    throw new Error(`${relative(workspaceRoot, importer)}: ${name} is reached by URL from two places (${relative(workspaceRoot, known)}, ${relative(workspaceRoot, path)}); give one another name`);
  await stat(path).catch((error) => {
    throw new Error(`${relative(workspaceRoot, importer)} reaches ${relative(workspaceRoot, path)} by URL, but it does not exist`, { cause: error });
  });
  besideBundle.set(name, path);
  pending.push(path);
}

/** 'pg' → 'pg', '@nats-io/jetstream/kv' → '@nats-io/jetstream'. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

await rm(outdir, { recursive: true, force: true });
try {
  await placeBesideBundle(firstImport, fileURLToPath(import.meta.url));
  await bundle('main', join(workspaceRoot, projectRoot, 'src/main.ts'), `import './${basename(firstImport, '.ts')}.mjs';`);
  while (pending.length > 0) {
    const source = pending.shift();
    const name = basename(source);
    if (source.endsWith('.ts')) await bundle(name.slice(0, -'.ts'.length), source);
    else await cp(source, join(outdir, name), { recursive: true });
  }
  const retired = `${outdir}-retired`;
  await mkdir(dirname(target), { recursive: true });
  await rename(target, retired).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(outdir, target);
  await rm(retired, { recursive: true, force: true });
} finally {
  await rm(outdir, { recursive: true, force: true });
}
const emitted = ['main.mjs', ...[...besideBundle.keys()].map((name) => name.replace(/\.ts$/, '.mjs'))];
console.log(`${appName}: dist/${projectRoot}/ ${emitted.join(', ')}`);
