/**
 * Calls inside constant expressions: a default taken from a lookup such as
 * `catalogService(definition.name).opsPort` (@mail/service-catalog) is
 * computed by applying the workspace function to its constant arguments —
 * `const`, `if`, `return` and `throw` in its body, arrow callbacks, and the
 * pure array and string methods below. Nothing else runs: no I/O, no
 * assignment, no loop; such a body is not a constant, and the generator
 * says where.
 */
import ts from 'typescript';
import { NotConstantError, type Binding, type Constant, type ConstantFunction, type Scope } from './constant';

/** What the call evaluator needs from the expression evaluator. */
export interface Evaluator {
  value(expression: ts.Expression, scope: Scope): Constant;
  declarationOf(node: ts.Node): ts.Declaration | undefined;
  symbolAt(node: ts.Node): ts.Symbol | undefined;
}

/** Methods without side effects, applied to arrays and strings. */
const pureMethods = new Set([
  'find',
  'filter',
  'map',
  'flatMap',
  'some',
  'every',
  'includes',
  'indexOf',
  'join',
  'slice',
  'concat',
  'at',
  'split',
  'trim',
  'startsWith',
  'endsWith',
  'toLowerCase',
  'toUpperCase',
]);
/** Bounds the work of one evaluation, so a recursive function cannot hang the generator. */
const maxCalls = 100_000;

type FunctionNode = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

export class FunctionCalls {
  private calls = 0;

  constructor(private readonly evaluator: Evaluator) {}

  /** The value of `f(args)` or `value.method(args)`. */
  evaluateCall(call: ts.CallExpression, scope: Scope): Constant {
    const args = call.arguments.map((argument) => this.evaluator.value(argument, scope));
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && pureMethods.has(callee.name.text)) {
      const target = this.evaluator.value(callee.expression, scope);
      if (Array.isArray(target) || typeof target === 'string') {
        const method = (target as unknown as Record<string, unknown>)[callee.name.text];
        if (typeof method === 'function') return method.apply(target, args) as Constant;
      }
    }
    const fn = this.workspaceFunction(callee);
    if (fn !== undefined) return this.apply(fn, args, scope);
    const value = this.evaluator.value(callee, scope);
    if (typeof value === 'function') return value(...args);
    throw new NotConstantError(call, 'not a call the generator can evaluate');
  }

  /** An arrow or function expression as a value, closing over `scope`. */
  closure(fn: ts.ArrowFunction | ts.FunctionExpression, scope: Scope): ConstantFunction {
    return (...args) => this.apply(fn, args, scope);
  }

  private workspaceFunction(callee: ts.Expression): FunctionNode | undefined {
    const declaration = ts.isIdentifier(callee) ? this.evaluator.declarationOf(callee) : undefined;
    if (declaration === undefined || declaration.getSourceFile().isDeclarationFile || declaration.getSourceFile().fileName.includes('/node_modules/')) return undefined;
    if (ts.isFunctionDeclaration(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
      const initializer = declaration.initializer;
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
    }
    return undefined;
  }

  private apply(fn: FunctionNode, args: readonly Constant[], outer: Scope): Constant {
    if (++this.calls > maxCalls) throw new NotConstantError(fn, `more than ${maxCalls} calls to evaluate`);
    const scope = new Map<ts.Symbol, Binding>(outer);
    fn.parameters.forEach((parameter, index) => {
      const symbol = this.evaluator.symbolAt(parameter.name);
      if (symbol === undefined || !ts.isIdentifier(parameter.name)) throw new NotConstantError(parameter, 'a destructured parameter');
      const given = args[index];
      const value = given === undefined && parameter.initializer !== undefined ? this.evaluator.value(parameter.initializer, scope) : given;
      scope.set(symbol, { value });
    });
    if (fn.body === undefined) throw new NotConstantError(fn, 'a function without a body');
    if (!ts.isBlock(fn.body)) return this.evaluator.value(fn.body, scope);
    return this.run(fn.body.statements, scope)?.value;
  }

  /** Runs statements; `{ value }` once one returns. */
  private run(statements: readonly ts.Statement[], scope: Map<ts.Symbol, Binding>): { value: Constant } | undefined {
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        if ((statement.declarationList.flags & ts.NodeFlags.Const) === 0) throw new NotConstantError(statement, 'only const declarations are evaluated');
        for (const declaration of statement.declarationList.declarations) {
          const symbol = this.evaluator.symbolAt(declaration.name);
          if (symbol === undefined || declaration.initializer === undefined) throw new NotConstantError(declaration, 'not a constant declaration');
          scope.set(symbol, { value: this.evaluator.value(declaration.initializer, scope) });
        }
      } else if (ts.isReturnStatement(statement)) {
        return { value: statement.expression === undefined ? undefined : this.evaluator.value(statement.expression, scope) };
      } else if (ts.isIfStatement(statement)) {
        const branch = this.evaluator.value(statement.expression, scope) ? statement.thenStatement : statement.elseStatement;
        const returned = branch === undefined ? undefined : this.run(ts.isBlock(branch) ? branch.statements : [branch], scope);
        if (returned !== undefined) return returned;
      } else if (ts.isBlock(statement)) {
        const returned = this.run(statement.statements, scope);
        if (returned !== undefined) return returned;
      } else if (ts.isThrowStatement(statement)) {
        throw new NotConstantError(statement, 'the evaluated function throws');
      } else {
        throw new NotConstantError(statement, 'a statement the generator does not evaluate');
      }
    }
    return undefined;
  }
}
