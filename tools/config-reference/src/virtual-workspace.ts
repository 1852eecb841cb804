/**
 * For the specs: a TypeScript program over files held in memory under
 * /virtual, laid out like the workspace, with the real @mail/config
 * sources copied in, so the generator meets the readers it reads in the
 * real tree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { workspaceRoot } from './workspace-program';

export const virtualRoot = '/virtual';

const configSources = ['index.ts', 'readers.ts', 'config-error.ts', 'load-config.ts', 'common.ts'];

/** A program over `files` (root-relative path → text) plus libs/config/src from the real tree. */
export function virtualProgram(files: Readonly<Record<string, string>>): ts.Program {
  const texts = new Map<string, string>();
  for (const name of configSources) texts.set(`${virtualRoot}/libs/config/src/${name}`, readFileSync(join(workspaceRoot, 'libs/config/src', name), 'utf8'));
  for (const [path, text] of Object.entries(files)) texts.set(`${virtualRoot}/${path}`, text);

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noLib: true, // symbols are all the generator needs; the standard library would only cost time
    types: [],
    paths: {
      '@mail/config': [`${virtualRoot}/libs/config/src/index.ts`],
      '@mail/runtime': [`${virtualRoot}/libs/runtime/src/index.ts`],
    },
  };
  const host = ts.createCompilerHost(options);
  host.fileExists = (fileName) => texts.has(fileName);
  host.readFile = (fileName) => texts.get(fileName);
  host.directoryExists = (directory) => [...texts.keys()].some((fileName) => fileName.startsWith(`${directory}/`));
  host.getSourceFile = (fileName, languageVersion) => {
    const text = texts.get(fileName);
    return text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.realpath = (path) => path;
  host.getCurrentDirectory = () => virtualRoot;
  return ts.createProgram([...texts.keys()], options, host);
}
