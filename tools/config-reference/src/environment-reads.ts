/**
 * Variables the production code reads from `process.env` itself, outside
 * @mail/config (the OpenTelemetry settings in libs/telemetry), so the
 * reference lists them too. libs/testing is left out: it runs in tests only.
 */
import ts from 'typescript';
import { productionSources } from './workspace-program';

export interface EnvironmentRead {
  readonly name: string;
  /** Root-relative paths of the files that read it. */
  readonly files: readonly string[];
}

export function environmentReads(program: ts.Program, root: string): EnvironmentRead[] {
  const found = new Map<string, Set<string>>();
  for (const { file, path } of productionSources(program, root)) {
    if (path.startsWith('libs/testing/') || !file.text.includes('process.env')) continue;
    const visit = (node: ts.Node): void => {
      const name = processEnvName(node);
      if (name !== undefined) found.set(name, (found.get(name) ?? new Set()).add(path));
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return [...found.entries()].map(([name, files]) => ({ name, files: [...files].sort() })).sort((a, b) => a.name.localeCompare(b.name));
}

/** `X` of `process.env['X']` or `process.env.X`. */
function processEnvName(node: ts.Node): string | undefined {
  if (ts.isElementAccessExpression(node) && isProcessEnv(node.expression) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) return node.name.text;
  return undefined;
}

function isProcessEnv(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process';
}
