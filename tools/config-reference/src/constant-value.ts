/**
 * Constant values of declaration expressions, read with the type checker:
 * literals, arithmetic and comparisons, arrays with spreads, object
 * literals, `as const`, templates, calls that function-calls.ts can apply,
 * and names that lead to a `const` (across imports and re-exports) or to a
 * parameter bound at the call being followed (`definition.name` inside
 * runService is the literal of the service's own definition). Anything
 * else is not a constant, and the error names the file, line and text.
 */
import ts from 'typescript';
import { NotConstantError, propertyName, unwrap, type Binding, type Constant, type Scope } from './constant';
import { FunctionCalls, type Evaluator } from './function-calls';

/** Where an expression leads: the expression that gives its value, and the declaration whose doc comment describes it. */
export interface Followed {
  /** Undefined for a parameter that was not passed, or one whose value is already known. */
  readonly expression: ts.Expression | undefined;
  readonly scope: Scope;
  /** The innermost object property or module-level `const` passed on the way, if any. */
  readonly holder: ts.PropertyAssignment | ts.VariableDeclaration | undefined;
  /** The value, when the name is a local or parameter of a function being evaluated. */
  readonly known?: { readonly value: Constant };
}

export class Constants implements Evaluator {
  private readonly calls = new FunctionCalls(this);

  constructor(private readonly checker: ts.TypeChecker) {}

  /** The declaration a name refers to, through import aliases and re-exports. */
  declarationOf(node: ts.Node): ts.Declaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(node);
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  }

  symbolAt(node: ts.Node): ts.Symbol | undefined {
    return this.checker.getSymbolAtLocation(node);
  }

  /** The scope of a call: each parameter of `fn` bound to its argument, read in the caller's scope. */
  bind(fn: ts.SignatureDeclaration, args: readonly ts.Expression[], callerScope: Scope): Scope {
    const scope = new Map(callerScope);
    fn.parameters.forEach((parameter, index) => {
      const symbol = this.checker.getSymbolAtLocation(parameter.name);
      if (symbol !== undefined) scope.set(symbol, { expression: args[index], scope: callerScope });
    });
    return scope;
  }

  /** The argument expression bound to a parameter, or undefined when the parameter was not passed. */
  argument(parameter: ts.ParameterDeclaration, scope: Scope): { readonly expression: ts.Expression; readonly scope: Scope } | undefined {
    const symbol = this.checker.getSymbolAtLocation(parameter.name);
    const binding = symbol === undefined ? undefined : scope.get(symbol);
    return binding !== undefined && 'expression' in binding && binding.expression !== undefined ? { expression: binding.expression, scope: binding.scope } : undefined;
  }

  /** Follows names and property accesses to the expression that gives the value. */
  follow(expression: ts.Expression, scope: Scope, holder?: Followed['holder']): Followed {
    const current = unwrap(expression);
    if (ts.isIdentifier(current)) {
      const symbol = this.checker.getSymbolAtLocation(current);
      const binding: Binding | undefined = symbol === undefined ? undefined : scope.get(symbol);
      if (binding !== undefined && 'value' in binding) return { expression: undefined, scope, holder, known: { value: binding.value } };
      if (binding !== undefined) {
        return binding.expression === undefined ? { expression: undefined, scope: binding.scope, holder } : this.follow(binding.expression, binding.scope, holder);
      }
      const declaration = this.declarationOf(current);
      if (declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && isConst(declaration)) {
        // a const inside a reader's body may use its parameters: keep the bindings (symbols are unique, so they never clash)
        return this.follow(declaration.initializer, scope, isModuleLevel(declaration) ? declaration : holder);
      }
      return { expression: current, scope, holder };
    }
    if (ts.isPropertyAccessExpression(current)) {
      const target = this.follow(current.expression, scope);
      const object = target.expression;
      if (object !== undefined && ts.isObjectLiteralExpression(object)) {
        const property = this.propertyOf(object, current.name.text, target.scope);
        if (property !== undefined) return this.follow(property.initializer, property.scope, property.assignment);
        return { expression: undefined, scope: target.scope, holder };
      }
    }
    return { expression: current, scope, holder };
  }

  /** The value of a constant expression; throws NotConstantError otherwise. */
  value(expression: ts.Expression, scope: Scope): Constant {
    const followed = this.follow(expression, scope);
    if (followed.known !== undefined) return followed.known.value;
    const node = followed.expression;
    if (node === undefined) return undefined;
    const inner = followed.scope;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (node.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isIdentifier(node) && node.text === 'undefined') return undefined;
    if (ts.isPrefixUnaryExpression(node)) return this.unary(node, inner);
    if (ts.isBinaryExpression(node)) return this.binary(node, inner);
    if (ts.isConditionalExpression(node)) return this.value(this.value(node.condition, inner) ? node.whenTrue : node.whenFalse, inner);
    if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => (ts.isSpreadElement(element) ? this.array(element.expression, inner) : [this.value(element, inner)]));
    if (ts.isObjectLiteralExpression(node)) return this.object(node, inner);
    if (ts.isTemplateExpression(node)) {
      return this.template(node, inner, () => {
        throw new NotConstantError(node, 'not a constant template');
      });
    }
    if (ts.isPropertyAccessExpression(node)) return this.member(node, this.value(node.expression, inner), node.name.text);
    if (ts.isElementAccessExpression(node)) return this.member(node, this.value(node.expression, inner), this.value(node.argumentExpression, inner));
    if (ts.isCallExpression(node)) return this.calls.evaluateCall(node, inner);
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return this.calls.closure(node, inner);
    throw new NotConstantError(node, 'not a constant');
  }

  /** A template or string whose unknown parts (`${error.message}`) are replaced by `unknown(span)`. */
  text(expression: ts.Expression, scope: Scope, unknown: (span: ts.Expression) => string): string {
    const followed = this.follow(expression, scope);
    const node = followed.expression;
    if (node !== undefined && ts.isTemplateExpression(node)) return this.template(node, followed.scope, unknown);
    return String(this.value(expression, scope));
  }

  /** Is the number written in binary units (`256 * 1024`), so that KiB/MiB read better than the digits? */
  writtenInBinaryUnits(expression: ts.Expression, scope: Scope): boolean {
    const node = this.follow(expression, scope).expression;
    if (node === undefined || !ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.AsteriskToken) return false;
    return /\b1024\b/.test(node.getText());
  }

  private template(node: ts.TemplateExpression, scope: Scope, unknown: (span: ts.Expression) => string): string {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      let part: string;
      try {
        part = String(this.value(span.expression, scope));
      } catch (error) {
        if (!(error instanceof NotConstantError)) throw error;
        part = unknown(span.expression);
      }
      text += part + span.literal.text;
    }
    return text;
  }

  private propertyOf(object: ts.ObjectLiteralExpression, name: string, scope: Scope): { assignment: ts.PropertyAssignment; initializer: ts.Expression; scope: Scope } | undefined {
    let found: { assignment: ts.PropertyAssignment; initializer: ts.Expression; scope: Scope } | undefined;
    // later properties override earlier ones and spreads, as at run time
    for (const property of object.properties) {
      if (ts.isPropertyAssignment(property) && propertyName(property) === name) {
        found = { assignment: property, initializer: property.initializer, scope };
      } else if (ts.isSpreadAssignment(property)) {
        const spread = this.follow(property.expression, scope);
        if (spread.expression !== undefined && ts.isObjectLiteralExpression(spread.expression)) {
          found = this.propertyOf(spread.expression, name, spread.scope) ?? found;
        }
      }
    }
    return found;
  }

  private member(node: ts.Node, target: Constant, key: Constant): Constant {
    if (typeof target === 'object' && target !== null && (typeof key === 'string' || typeof key === 'number') && Object.hasOwn(target, key)) {
      return (target as Record<string | number, Constant>)[key];
    }
    if ((Array.isArray(target) || typeof target === 'string') && key === 'length') return target.length;
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) return undefined; // an optional property left out
    throw new NotConstantError(node, 'not a property of a constant');
  }

  private array(expression: ts.Expression, scope: Scope): readonly Constant[] {
    const value = this.value(expression, scope);
    if (!Array.isArray(value)) throw new NotConstantError(expression, 'not an array');
    return value as readonly Constant[];
  }

  private unary(node: ts.PrefixUnaryExpression, scope: Scope): Constant {
    const operand = this.value(node.operand, scope);
    if (node.operator === ts.SyntaxKind.ExclamationToken) return !operand;
    if (node.operator === ts.SyntaxKind.MinusToken && typeof operand === 'number') return -operand;
    throw new NotConstantError(node, 'not a constant operation');
  }

  private binary(node: ts.BinaryExpression, scope: Scope): Constant {
    const operator = node.operatorToken.kind;
    const left = this.value(node.left, scope);
    // short-circuit as at run time: the right side may only be evaluable when needed
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return left ? this.value(node.right, scope) : left;
    if (operator === ts.SyntaxKind.BarBarToken) return left ? left : this.value(node.right, scope);
    if (operator === ts.SyntaxKind.QuestionQuestionToken) return left ?? this.value(node.right, scope);
    const right = this.value(node.right, scope);
    if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken) return left === right;
    if (operator === ts.SyntaxKind.ExclamationEqualsEqualsToken) return left !== right;
    if (operator === ts.SyntaxKind.PlusToken && (typeof left === 'string' || typeof right === 'string')) return String(left) + String(right);
    if (typeof left !== 'number' || typeof right !== 'number') throw new NotConstantError(node, 'not a constant operation');
    switch (operator) {
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.SlashToken:
        return left / right;
      case ts.SyntaxKind.LessThanToken:
        return left < right;
      case ts.SyntaxKind.GreaterThanToken:
        return left > right;
      case ts.SyntaxKind.LessThanEqualsToken:
        return left <= right;
      case ts.SyntaxKind.GreaterThanEqualsToken:
        return left >= right;
      default:
        throw new NotConstantError(node, 'not a constant operation');
    }
  }

  private object(node: ts.ObjectLiteralExpression, scope: Scope): Constant {
    const result: Record<string, Constant> = {};
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) {
        const name = propertyName(property);
        if (name === undefined) throw new NotConstantError(property, 'computed property name');
        result[name] = this.value(property.initializer, scope);
      } else if (ts.isShorthandPropertyAssignment(property)) {
        result[property.name.text] = this.value(property.name, scope);
      } else if (ts.isSpreadAssignment(property)) {
        const spread = this.value(property.expression, scope);
        if (typeof spread !== 'object' || spread === null || Array.isArray(spread)) throw new NotConstantError(property, 'spread of a non-object');
        Object.assign(result, spread);
      } else {
        // methods (a service definition's start()) are no constants; leave them out so the data around them can be read
        continue;
      }
    }
    return result;
  }
}

function isModuleLevel(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableStatement(declaration.parent.parent) && ts.isSourceFile(declaration.parent.parent.parent);
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}
