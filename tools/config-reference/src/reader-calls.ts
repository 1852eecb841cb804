/**
 * Which environment variables a reader expression reads, with their form
 * and default, straight from the calls in the declarations.
 *
 * A call of a reader from libs/config/src/readers.ts gives its variable from
 * the literal arguments (the argument of the parameter named `fallback` is
 * the default, as every reader there names it). A service's own reader — a
 * function declared to return `Reader<…>`, such as spam-filter's
 * `decimal(name, fallback)` — is followed into its body with its parameters
 * bound: the library readers it calls and the `env[name]` it reads give the
 * variables, its `new ConfigError(name, 'expected form', …)` the form, and
 * its own `fallback` argument the default (none when it has no such
 * parameter). A reader handed in as an argument and called inside
 * (smtp-ingress's `addressList(name, proxyTrustedEverywhere)`) is a variable
 * of its own, described by its own declaration.
 */
import ts from 'typescript';
import { NotConstantError, emptyScope, sourcePosition, type Constant, type Scope } from './constant';
import type { Constants } from './constant-value';
import { readerForms } from './reader-forms';

export type Fallback =
  | { readonly kind: 'value'; readonly value: Constant; readonly binaryUnits: boolean }
  /** Nothing is read: the service goes without (no listener, no list). */
  | { readonly kind: 'unset' }
  /** The service does not start without it. */
  | { readonly kind: 'required' }
  /** Falls back to another variable's value. */
  | { readonly kind: 'variable'; readonly name: string };

/** The declaration whose doc comment describes a variable: a config object's property, or a `const` reader. */
export type Holder = ts.PropertyAssignment | ts.VariableDeclaration;

export interface VariableRead {
  readonly name: string;
  /** The @mail/config reader that parses it, or `custom` when the service's own code does. */
  readonly reader: string;
  readonly form: string;
  readonly fallback: Fallback;
  readonly holder: Holder;
}

/** Where @mail/config defines its readers and its error, as absolute file names. */
export interface ReaderLibrary {
  readonly readersFile: string;
  readonly configErrorFile: string;
}

type Mode = 'declared' | 'inside-reader';

const variableName = /^[A-Z][A-Z0-9_]*$/;
const maxDepth = 16;
/** Stands for a part of a ConfigError form only known at run time (`${error.message}`). */
const runtimePart = '\u0000';

export class ReaderCalls {
  constructor(
    private readonly constants: Constants,
    private readonly library: ReaderLibrary,
  ) {}

  /** The variables read by the reader `expression` (a config property's initializer); empty when it is no reader. */
  readsOf(expression: ts.Expression, scope: Scope, holder: Holder): VariableRead[] {
    return this.reads(expression, scope, holder, 'declared', 0);
  }

  private reads(expression: ts.Expression, scope: Scope, holder: Holder, mode: Mode, depth: number): VariableRead[] {
    if (depth > maxDepth) throw new Error(`${sourcePosition(expression)}: readers nested more than ${maxDepth} deep`);
    const followed = this.constants.follow(expression, scope);
    if (followed.holder !== undefined && followed.holder !== holder) {
      // a reader declared elsewhere (a property of commonConfig, a const reader): described by its own declaration
      holder = followed.holder;
      mode = 'declared';
    }
    const call = followed.expression;
    if (call === undefined || !ts.isCallExpression(call)) return [];
    const callee = this.constants.follow(call.expression, followed.scope).expression;
    if (callee === undefined) return []; // an optional reader parameter that was not passed
    // `list(name)(env)` or `fallback(env)`: the reader being called is itself an expression to read
    if (ts.isCallExpression(callee)) {
      return this.reads(call.expression, followed.scope, holder, mode, depth + 1);
    }
    const fn = this.functionOf(callee);
    if (fn === undefined) return [];
    const scopeOfCall = this.constants.bind(fn, call.arguments, followed.scope);
    if (fn.getSourceFile().fileName === this.library.readersFile) return [this.libraryRead(fn, call, scopeOfCall, holder, mode)];
    if (!returnsReader(fn)) return [];
    return this.ownReaderReads(fn, scopeOfCall, holder, mode, depth);
  }

  /** A call of a reader of @mail/config. */
  private libraryRead(fn: ts.SignatureDeclaration, call: ts.CallExpression, scope: Scope, holder: Holder, mode: Mode): VariableRead {
    const reader = fn.name !== undefined && ts.isIdentifier(fn.name) ? fn.name.text : '';
    const argument = (name: string): Constant => {
      const parameter = fn.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (parameter === undefined) return undefined;
      const bound = this.constants.argument(parameter, scope);
      if (bound?.expression !== undefined) return this.constants.value(bound.expression, bound.scope);
      return parameter.initializer === undefined ? undefined : this.constants.value(parameter.initializer, emptyScope);
    };
    const name = argument('name');
    if (typeof name !== 'string') throw new Error(`${sourcePosition(call)}: the variable name of ${reader}() is not a constant string`);
    const form = readerForms[reader];
    if (form === undefined) throw new Error(`${sourcePosition(call)}: reader ${reader}() has no form in tools/config-reference/src/reader-forms.ts`);
    return { name, reader, form: form.form(argument), fallback: mode === 'declared' ? this.describedFallback(call, name, () => this.libraryFallback(fn, scope)) : { kind: 'unset' }, holder };
  }

  /** The default, or an error that names the variable and where its call is. */
  private describedFallback(call: ts.Node, name: string, read: () => Fallback): Fallback {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof NotConstantError)) throw error;
      throw new Error(`${sourcePosition(call)}: cannot read the default of ${name} (${error.message})`, { cause: error });
    }
  }

  private libraryFallback(fn: ts.SignatureDeclaration, scope: Scope): Fallback {
    const parameter = fallbackParameter(fn);
    if (parameter === undefined) return { kind: 'unset' };
    const bound = this.constants.argument(parameter, scope);
    if (bound?.expression !== undefined) return this.valueFallback(bound.expression, bound.scope);
    if (parameter.initializer !== undefined) return this.valueFallback(parameter.initializer, emptyScope);
    return { kind: 'required' }; // `string(name)`: an optional fallback left out
  }

  private valueFallback(expression: ts.Expression, scope: Scope): Fallback {
    return { kind: 'value', value: this.constants.value(expression, scope), binaryUnits: this.constants.writtenInBinaryUnits(expression, scope) };
  }

  /** A service's own reader, followed into its body. */
  private ownReaderReads(fn: ts.SignatureDeclaration, scope: Scope, holder: Holder, mode: Mode, depth: number): VariableRead[] {
    const own: VariableRead[] = [];
    const passedIn: VariableRead[] = [];
    const forms = new Map<string, string>();
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const found = this.reads(node, scope, holder, 'inside-reader', depth + 1);
        for (const read of found) (read.holder === holder ? own : passedIn).push(read);
        if (found.length > 0) return;
      } else if (ts.isNewExpression(node) && this.isConfigError(node.expression)) {
        const [nameArgument, formArgument] = node.arguments ?? [];
        const name = nameArgument === undefined ? undefined : this.constants.value(nameArgument, scope);
        if (typeof name === 'string' && formArgument !== undefined) forms.set(name, readableForm(this.constants.text(formArgument, scope, () => runtimePart)));
      } else if (ts.isElementAccessExpression(node)) {
        const name = this.constantOrUndefined(node.argumentExpression, scope);
        if (typeof name === 'string' && variableName.test(name)) own.push({ name, reader: 'custom', form: 'text', fallback: { kind: 'unset' }, holder });
      }
      ts.forEachChild(node, visit);
    };
    if ('body' in fn && fn.body !== undefined) visit(fn.body);

    const name = own[0]?.name ?? '?';
    const fallback: Fallback = mode === 'declared' ? this.describedFallback(fn, name, () => this.ownReaderFallback(fn, scope, holder, depth)) : { kind: 'unset' };
    const merged = new Map<string, VariableRead>();
    for (const read of own) {
      const earlier = merged.get(read.name);
      // the first @mail/config reader used names the kind; the reader's own ConfigError names the form
      const kind = earlier === undefined || (earlier.reader === 'custom' && read.reader !== 'custom') ? read : earlier;
      merged.set(read.name, { ...kind, form: forms.get(read.name) ?? kind.form, fallback });
    }
    return [...merged.values(), ...passedIn];
  }

  private ownReaderFallback(fn: ts.SignatureDeclaration, scope: Scope, holder: Holder, depth: number): Fallback {
    const parameter = fallbackParameter(fn);
    const bound = parameter === undefined ? undefined : this.constants.argument(parameter, scope);
    if (bound?.expression === undefined) return { kind: 'unset' };
    const fromReader = this.reads(bound.expression, bound.scope, holder, 'declared', depth + 1);
    if (fromReader[0] !== undefined) return { kind: 'variable', name: fromReader[0].name };
    return this.valueFallback(bound.expression, bound.scope);
  }

  private functionOf(callee: ts.Expression): ts.SignatureDeclaration | undefined {
    if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) return callee;
    const declaration = this.constants.declarationOf(callee);
    if (declaration === undefined) return undefined;
    if (ts.isFunctionDeclaration(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
      const initializer = declaration.initializer;
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
    }
    return undefined;
  }

  private isConfigError(expression: ts.Expression): boolean {
    const declaration = this.constants.declarationOf(expression);
    return declaration !== undefined && ts.isClassDeclaration(declaration) && declaration.getSourceFile().fileName === this.library.configErrorFile;
  }

  private constantOrUndefined(expression: ts.Expression, scope: Scope): Constant {
    try {
      return this.constants.value(expression, scope);
    } catch (error) {
      if (error instanceof NotConstantError) return undefined;
      throw error;
    }
  }
}

function fallbackParameter(fn: ts.SignatureDeclaration): ts.ParameterDeclaration | undefined {
  return fn.parameters.find((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === 'fallback');
}

/** Declared `(…): Reader<T>`: the convention of every reader, in @mail/config and in the services. */
function returnsReader(fn: ts.SignatureDeclaration): boolean {
  return fn.type !== undefined && ts.isTypeReferenceNode(fn.type) && fn.type.typeName.getText() === 'Reader';
}

/** A ConfigError form with its run-time parts (`(${error.message})`) left out. */
function readableForm(text: string): string {
  return text
    .replace(new RegExp(`\\s*\\(${runtimePart}\\)`, 'g'), '')
    .replaceAll(runtimePart, '…')
    .trim();
}
