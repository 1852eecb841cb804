/**
 * Who reads which configuration: every `loadConfig(name, shape)` call in an
 * app, and every call of a lib function that calls loadConfig itself —
 * runService, which loads commonConfig and HTTP_PORT (with the service's
 * `defaultHttpPort`) besides the service's own `config`. The shape is
 * followed through spreads (`...databaseConfig`) and property accesses
 * (`commonConfig.natsUrl`) to the reader of each property.
 */
import ts from 'typescript';
import { emptyScope, propertyName, sourcePosition, type Scope } from './constant';
import type { Constants } from './constant-value';
import type { ReaderCalls, VariableRead } from './reader-calls';
import { productionSources } from './workspace-program';

export interface ConfigUse {
  /** The folder under apps/ of the program that reads it. */
  readonly app: string;
  /** Loaded through a lib function such as runService, i.e. by a service at start-up (not by a command such as `migrate`). */
  readonly asService: boolean;
  readonly reads: readonly VariableRead[];
}

export function configUses(program: ts.Program, root: string, constants: Constants, readerCalls: ReaderCalls, loadConfigFile: string): ConfigUse[] {
  const sources = productionSources(program, root);
  const isLoadConfig = (call: ts.CallExpression): boolean => {
    const declaration = constants.declarationOf(call.expression);
    return declaration !== undefined && ts.isFunctionDeclaration(declaration) && declaration.name?.text === 'loadConfig' && declaration.getSourceFile().fileName === loadConfigFile;
  };

  // lib functions that load configuration on behalf of their caller, with their loadConfig calls
  const wrappers = new Map<ts.FunctionDeclaration, ts.CallExpression[]>();
  for (const { file, path } of sources) {
    if (!path.startsWith('libs/') || file.fileName === loadConfigFile || !file.text.includes('loadConfig')) continue;
    for (const call of callsIn(file)) {
      const wrapper = ts.findAncestor(call, ts.isFunctionDeclaration);
      if (wrapper !== undefined && isLoadConfig(call)) wrappers.set(wrapper, [...(wrappers.get(wrapper) ?? []), call]);
    }
  }
  const wrapperNames = [...wrappers.keys()].map((wrapper) => wrapper.name?.text ?? '');

  const uses: ConfigUse[] = [];
  for (const { file, path } of sources) {
    const app = /^apps\/([^/]+)\//.exec(path)?.[1];
    if (app === undefined || ![...wrapperNames, 'loadConfig'].some((name) => file.text.includes(name))) continue;
    for (const call of callsIn(file)) {
      if (isLoadConfig(call)) {
        uses.push({ app, asService: false, reads: shapeReads(constants, readerCalls, call.arguments[1], emptyScope, call) });
        continue;
      }
      const declaration = constants.declarationOf(call.expression);
      const inner = declaration !== undefined && ts.isFunctionDeclaration(declaration) ? wrappers.get(declaration) : undefined;
      if (declaration === undefined || inner === undefined) continue;
      const scope = constants.bind(declaration as ts.FunctionDeclaration, call.arguments, emptyScope);
      for (const load of inner) uses.push({ app, asService: true, reads: shapeReads(constants, readerCalls, load.arguments[1], scope, load) });
    }
  }
  return uses;
}

/** The variables of a configuration shape: an object of readers, with spreads of other shapes. */
function shapeReads(constants: Constants, readerCalls: ReaderCalls, shape: ts.Expression | undefined, scope: Scope, call: ts.CallExpression): VariableRead[] {
  if (shape === undefined) throw new Error(`${sourcePosition(call)}: loadConfig without a shape`);
  const followed = constants.follow(shape, scope);
  const object = followed.expression;
  if (object === undefined || !ts.isObjectLiteralExpression(object)) {
    throw new Error(`${sourcePosition(shape)}: the configuration shape does not lead to an object literal`);
  }
  return object.properties.flatMap((property) => {
    if (ts.isSpreadAssignment(property)) return shapeReads(constants, readerCalls, property.expression, followed.scope, call);
    if (!ts.isPropertyAssignment(property)) throw new Error(`${sourcePosition(property)}: write configuration properties as \`name: reader(...)\``);
    const reads = readerCalls.readsOf(property.initializer, followed.scope, property);
    if (reads.length === 0) throw new Error(`${sourcePosition(property)}: cannot tell which environment variable ${propertyName(property) ?? '?'} reads`);
    return reads;
  });
}

function callsIn(file: ts.SourceFile): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return calls;
}
