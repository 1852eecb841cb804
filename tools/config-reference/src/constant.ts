/** The values the generator reads from declarations, and where it reads them. */
import ts from 'typescript';

/** A value computed from the declarations (a function is an arrow or workspace function applied by the evaluator). */
export type Constant = string | number | boolean | null | undefined | ConstantFunction | readonly Constant[] | { readonly [key: string]: Constant };
export type ConstantFunction = (...args: Constant[]) => Constant;

/**
 * The parameters and locals of the functions being followed, by symbol:
 * either the argument expression with the scope it is read in (followed
 * lazily, so a reader's `name` stays the literal of its call), or a value
 * computed while evaluating a function body.
 */
export type Scope = ReadonlyMap<ts.Symbol, Binding>;
export type Binding = { readonly expression: ts.Expression | undefined; readonly scope: Scope } | { readonly value: Constant };
export const emptyScope: Scope = new Map();

export class NotConstantError extends Error {
  override readonly name = 'NotConstantError';
  constructor(node: ts.Node, reason: string) {
    super(`${sourcePosition(node)}: ${reason}: ${node.getText()}`);
  }
}

/** `path:line` of a node, for error messages. */
export function sourcePosition(node: ts.Node): string {
  const file = node.getSourceFile();
  return `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}

/** Strips parentheses, `as`, `satisfies` and `!`, which do not change a value. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** The name of a property written as an identifier or a string. */
export function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}
