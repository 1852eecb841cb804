/**
 * The facts of the reference, gathered from the program: one row per
 * variable and declaration, in sections by the project that declares it
 * (libs: every service; apps/X: X), with the apps that read the variable
 * and the meaning from the declaration's doc comment.
 *
 * Why parse the sources rather than give the readers metadata: the meaning
 * lives in doc comments, which do not exist at run time, and the services'
 * own readers (decimal, zones, addressList, …) would each need metadata by
 * hand — a second description that can drift. The declarations are plain
 * enough (readers called with literal arguments) to read as they are, and
 * whatever the generator cannot read stops it with the file and line.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { Constants } from './constant-value';
import { configUses } from './config-uses';
import { environmentReads, type EnvironmentRead } from './environment-reads';
import { ReaderCalls, type Fallback, type Holder } from './reader-calls';
import { workspacePath } from './workspace-program';

export interface VariableRow {
  readonly name: string;
  /** The @mail/config reader that parses it, or `custom`. */
  readonly reader: string;
  readonly form: string;
  /** The default as each app reads it (HTTP_PORT differs per service); one entry when they agree. */
  readonly fallbacks: readonly { readonly app: string; readonly fallback: Fallback }[];
  /** Every app that reads a variable of this name, whichever declaration it uses. */
  readonly usedBy: readonly string[];
  /** The declaration's doc comment, on one line; empty when it has none. */
  readonly meaning: string;
  /** Root-relative path of the declaring file. */
  readonly file: string;
}

export interface Section {
  /** The app whose config declares these variables, or undefined for the libs every service shares. */
  readonly app: string | undefined;
  readonly files: readonly string[];
  readonly rows: readonly VariableRow[];
}

export interface ConfigurationModel {
  /** Apps started as services (through runService). */
  readonly services: readonly string[];
  readonly sections: readonly Section[];
  /** Variables whose doc comment says they are read by tests only: kept out of the tables. */
  readonly testOnly: readonly VariableRow[];
  readonly environmentReads: readonly EnvironmentRead[];
}

const testOnlyDoc = /^tests? only\b/i;

export function configurationModel(program: ts.Program, root: string): ConfigurationModel {
  const constants = new Constants(program.getTypeChecker());
  const readerCalls = new ReaderCalls(constants, {
    readersFile: libraryFile(program, root, 'libs/config/src/readers.ts'),
    configErrorFile: libraryFile(program, root, 'libs/config/src/config-error.ts'),
  });
  const uses = configUses(program, root, constants, readerCalls, libraryFile(program, root, 'libs/config/src/load-config.ts'));

  const usedBy = new Map<string, Set<string>>();
  type Gathered = { name: string; reader: string; form: string; fallbacks: { app: string; fallback: Fallback }[]; holder: Holder };
  const rows = new Map<Holder, Map<string, Gathered>>();
  for (const use of uses) {
    for (const read of use.reads) {
      usedBy.set(read.name, (usedBy.get(read.name) ?? new Set()).add(use.app));
      const byName = rows.get(read.holder) ?? new Map<string, Gathered>();
      rows.set(read.holder, byName);
      const row: Gathered = byName.get(read.name) ?? { name: read.name, reader: read.reader, form: read.form, fallbacks: [], holder: read.holder };
      byName.set(read.name, row);
      if (!row.fallbacks.some((entry) => entry.app === use.app)) row.fallbacks.push({ app: use.app, fallback: read.fallback });
    }
  }

  const all = [...rows.values()]
    .flatMap((byName) => [...byName.values()])
    .map((row) => ({
      row: {
        name: row.name,
        reader: row.reader,
        form: row.form,
        fallbacks: distinctFallbacks(row.fallbacks),
        usedBy: [...(usedBy.get(row.name) ?? [])].sort(),
        meaning: docComment(row.holder),
        file: workspacePath(root, row.holder.getSourceFile().fileName),
      },
      position: row.holder.getStart(),
    }))
    .sort((a, b) => a.row.file.localeCompare(b.row.file) || a.position - b.position)
    .map(({ row }) => row);

  const listed = all.filter((row) => !testOnlyDoc.test(row.meaning));
  // the shared settings first, then the apps by name (sort() would move an undefined key last without asking)
  const apps = [...new Set(listed.map((row) => appOf(row.file) ?? ''))].sort().map((app) => (app === '' ? undefined : app));
  return {
    services: [...new Set(uses.filter((use) => use.asService).map((use) => use.app))].sort(),
    sections: apps.map((app) => {
      const sectionRows = listed.filter((row) => appOf(row.file) === app);
      return { app, files: [...new Set(sectionRows.map((row) => row.file))], rows: sectionRows };
    }),
    testOnly: all.filter((row) => testOnlyDoc.test(row.meaning)),
    environmentReads: environmentReads(program, root),
  };
}

function libraryFile(program: ts.Program, root: string, path: string): string {
  const file = program.getSourceFile(join(root, path));
  if (file === undefined) throw new Error(`${path} is not part of the program`);
  return file.fileName;
}

function appOf(file: string): string | undefined {
  return /^apps\/([^/]+)\//.exec(file)?.[1];
}

/** One entry when every app reads the same default; otherwise by default (HTTP_PORT: in port order). */
function distinctFallbacks(fallbacks: { app: string; fallback: Fallback }[]): { app: string; fallback: Fallback }[] {
  const sorted = fallbacks.map((entry) => ({ ...entry, key: JSON.stringify(entry.fallback) })).sort((a, b) => a.key.localeCompare(b.key) || a.app.localeCompare(b.app));
  const first = sorted[0];
  if (first !== undefined && sorted.every((entry) => entry.key === first.key)) return [{ app: first.app, fallback: first.fallback }];
  return sorted.map(({ app, fallback }) => ({ app, fallback }));
}

/**
 * The text of the declaration's doc comment on one line. Read from the
 * source rather than from the parsed comment: there an `@` in the prose
 * (`@mail/service-catalog`) would start a tag and cut the text.
 */
export function docComment(holder: Holder): string {
  const docs = ts.getJSDocCommentsAndTags(holder).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  if (last === undefined) return '';
  return last
    .getText()
    .replace(/^\/\*\*|\*\/$/g, '')
    .replace(/^\s*\* ?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}
