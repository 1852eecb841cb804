/**
 * The TypeScript program of the production sources (apps/*\/src and
 * libs/*\/src without specs), built from the root tsconfig.json so that
 * imports resolve exactly as the type check resolves them.
 */
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Absolute path of the repository root (tools/config-reference/src → ../../..). */
export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Path of the generated reference, relative to the root. */
export const referencePath = 'docs/configuration.md';

const productionSource = /^(apps|libs)\/[^/]+\/src\/.+(?<!\.spec|\.test)\.ts$/;

/** Root-relative path with forward slashes. */
export function workspacePath(root: string, fileName: string): string {
  return relative(root, fileName).split(sep).join('/');
}

export function workspaceProgram(root: string = workspaceRoot): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${join(root, 'tsconfig.json')}`);
  const roots = parsed.fileNames.filter((fileName) => productionSource.test(workspacePath(root, fileName)));
  return ts.createProgram(roots, parsed.options);
}

/** The program's production source files with their root-relative paths, sorted by path. */
export function productionSources(program: ts.Program, root: string): { readonly file: ts.SourceFile; readonly path: string }[] {
  return program
    .getSourceFiles()
    .map((file) => ({ file, path: workspacePath(root, file.fileName) }))
    .filter(({ path }) => productionSource.test(path))
    .sort((a, b) => a.path.localeCompare(b.path));
}
