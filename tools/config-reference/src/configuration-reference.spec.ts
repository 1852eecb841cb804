import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { configurationModel } from './configuration-model';
import { readerForms } from './reader-forms';
import { regenerateCommand, renderReference } from './render-reference';
import { referencePath, workspaceProgram, workspaceRoot } from './workspace-program';

// The drift check: the reference in the tree must be what the declarations generate now.
const program = workspaceProgram(workspaceRoot);
const model = configurationModel(program, workspaceRoot);

function committedReference(): string {
  try {
    return readFileSync(join(workspaceRoot, referencePath), 'utf8');
  } catch {
    return '';
  }
}

describe(referencePath, () => {
  it('is what the configuration declarations generate', () => {
    expect(committedReference(), `${referencePath} is out of date with the configuration declarations: run \`${regenerateCommand}\` and commit it`).toBe(renderReference(model));
  });

  it('gives every variable a meaning (a doc comment on its declaration)', () => {
    const undocumented = model.sections.flatMap((section) => section.rows.filter((row) => row.meaning === '').map((row) => `${row.name} in ${row.file}`));
    expect(undocumented, 'write a doc comment on the declaration of').toEqual([]);
  });

  it('lists the variables every service reads, with the default ops port of each', () => {
    const shared = model.sections.find((section) => section.app === undefined);
    expect(shared?.rows.map((row) => row.name)).toEqual(expect.arrayContaining(['NATS_URL', 'LOG_LEVEL', 'HTTP_PORT']));
    expect(shared?.rows.find((row) => row.name === 'HTTP_PORT')?.fallbacks).toHaveLength(model.services.length);
    expect(model.services).toEqual(expect.arrayContaining(['smtp-ingress', 'mailbox-store']));
  });
});

describe('readerForms', () => {
  it('has a form for each reader @mail/config exports, and no other', () => {
    const readers = program.getSourceFile(join(workspaceRoot, 'libs/config/src/readers.ts'));
    const statements: readonly ts.Statement[] = readers?.statements ?? [];
    const exported = statements
      .filter(ts.isFunctionDeclaration)
      .filter((fn) => fn.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) && fn.type?.getText().startsWith('Reader<'))
      .map((fn) => fn.name?.text ?? '');
    expect(exported.length).toBeGreaterThan(5);
    expect(Object.keys(readerForms).sort()).toEqual(exported.sort());
  });
});
