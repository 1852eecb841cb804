/**
 * The Docker build context of the image: the workspace files the ignore file
 * lets through. Checks that everything a service needs at run time is in it
 * (entry points, workspace manifests, migrations, the libraries it imports
 * and the npm packages those import, as production dependencies) and that
 * tests, local data and deployment files are not.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import type { DockerIgnore } from './dockerignore';

export class BuildContext {
  /** Files sent to the builder. */
  readonly files: readonly string[];
  private readonly fileSet: ReadonlySet<string>;

  constructor(
    workspaceFiles: readonly string[],
    readonly ignore: DockerIgnore,
  ) {
    this.files = workspaceFiles.filter((file) => !ignore.excludes(file));
    this.fileSet = new Set(this.files);
  }

  includes(path: string): boolean {
    return this.fileSet.has(path);
  }
}

/** A workspace package: its folder, name and the file its bare name resolves to. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly name: string;
  readonly entry: string | undefined;
}

/** Reads the workspace packages from their package.json files (`exports["."]`, else `main`). */
export function workspacePackages(files: readonly string[], readFile: (path: string) => string): WorkspacePackage[] {
  return files
    .filter((file) => /^(apps|libs|tools)\/[^/]+\/package\.json$/.test(file))
    .map((file) => {
      const manifest = JSON.parse(readFile(file)) as { name: string; main?: string; exports?: Record<string, string> | string };
      const dir = posix.dirname(file);
      const exported = typeof manifest.exports === 'string' ? manifest.exports : manifest.exports?.['.'];
      const entry = exported ?? manifest.main;
      return { dir, name: manifest.name, entry: entry === undefined ? undefined : posix.join(dir, entry) };
    });
}

/** Files that must reach the image, and files that must not. */
export function contextCoverageProblems(context: BuildContext, packages: readonly WorkspacePackage[], required: readonly string[], forbidden: readonly string[]): string[] {
  const problems: string[] = [];
  for (const pkg of packages) {
    const manifest = `${pkg.dir}/package.json`;
    if (!context.includes(manifest)) problems.push(`${manifest} is ignored: npm ci needs every workspace's package.json`);
  }
  for (const path of required) if (!context.includes(path)) problems.push(`${path} is needed at run time but is not in the build context`);
  for (const path of forbidden) if (!context.ignore.excludes(path)) problems.push(`${path} should be left out of the build context`);
  return problems;
}

const importPattern = /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Module specifiers a source file loads at run time (type-only imports are erased and skipped). */
export function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(importPattern)) {
    if (match[1]) continue;
    const specifier = match[2] ?? match[3];
    if (specifier) specifiers.push(specifier);
  }
  return specifiers;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/**
 * Follows the imports of every script in the context under `roots`: a
 * relative import must resolve to a file in the context, `@mail/*` to a
 * workspace package whose entry is in the context, any other package to a
 * production dependency of the root package.json (the image has no others),
 * unless `developmentOnly` lists it for that file: an import that only runs
 * from source, never from the build the image holds.
 */
export function importClosureProblems(
  context: BuildContext,
  packages: readonly WorkspacePackage[],
  productionDependencies: ReadonlySet<string>,
  readFile: (path: string) => string,
  roots: readonly string[] = ['apps/', 'libs/'],
  developmentOnly: Readonly<Record<string, readonly string[]>> = {},
): string[] {
  const problems: string[] = [];
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const scripts = context.files.filter((file) => roots.some((root) => file.startsWith(root)) && /\.(ts|js|mjs)$/.test(file) && !file.endsWith('.d.ts'));
  for (const file of scripts) {
    for (const specifier of runtimeImports(readFile(file))) {
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) {
        const target = resolveRelative(context, posix.join(posix.dirname(file), specifier));
        if (!target) problems.push(`${file} imports ${specifier}, which is not in the build context`);
        continue;
      }
      const name = packageNameOf(specifier);
      const workspace = byName.get(name);
      if (workspace) {
        if (!workspace.entry || !context.includes(workspace.entry)) problems.push(`${file} imports ${name}, whose entry ${workspace.entry} is not in the build context`);
      } else if (!productionDependencies.has(name) && !isBuiltin(name) && !developmentOnly[file]?.includes(name)) {
        problems.push(`${file} imports ${name}, which is not a production dependency of the root package.json (npm ci --omit=dev leaves it out)`);
      }
    }
  }
  return problems;
}

function resolveRelative(context: BuildContext, path: string): string | undefined {
  const base = path.replace(/\.js$/, '');
  return [path, `${base}.ts`, `${path}.ts`, `${path}/index.ts`, `${base}.js`].find((candidate) => context.includes(candidate));
}

function isBuiltin(name: string): boolean {
  return builtinModules.includes(name);
}
