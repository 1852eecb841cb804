/**
 * Checks of the image definition (deploy/docker/Dockerfile) that need no
 * container engine: a multi-stage build on a base pinned by digest whose
 * final stage runs as a numeric non-root user, starts the selected service
 * from its compiled build, holds that build and production dependencies
 * only (no sources, no tsx), and copies only paths that exist in the build
 * context. Every check returns a list of problems, empty when fine.
 */
import { nodeRuntime } from '@mail/service-catalog';
import type { BuildContext } from './build-context';
import { execForm, findStage, parseCopy, splitArg, stageChain, substitute, type DockerInstruction, type Dockerfile, type DockerStage } from './dockerfile';
import { patternToRegExp } from './dockerignore';

/** The stage that becomes the image. */
export function finalStage(dockerfile: Dockerfile): DockerStage {
  return dockerfile.stages.at(-1) as DockerStage;
}

/** The last instruction with one of `keywords` in the final stage, following `FROM <stage>` inheritance. */
function lastInChain(dockerfile: Dockerfile, keywords: readonly string[]): DockerInstruction | undefined {
  for (const stage of stageChain(dockerfile, finalStage(dockerfile))) {
    const found = stage.instructions.filter((instruction) => keywords.includes(instruction.keyword)).at(-1);
    if (found) return found;
  }
  return undefined;
}

/** The runtime base: the Node line of engines.node, slim, pinned by digest (`node:26-slim@sha256:<64 hex>`). */
export function pinnedNodeBase(nodeMajor: number): RegExp {
  return new RegExp(`^node:${nodeMajor}-slim@sha256:[0-9a-f]{64}$`);
}

/** At least two stages, the final one on the expected runtime image. */
export function multiStageProblems(dockerfile: Dockerfile, runtimeBase: RegExp): string[] {
  const problems: string[] = [];
  if (dockerfile.stages.length < 2) problems.push(`a multi-stage build is expected, found ${dockerfile.stages.length} stage(s)`);
  const base = stageChain(dockerfile, finalStage(dockerfile)).at(-1)?.base;
  if (!base || !runtimeBase.test(base)) problems.push(`the final stage should start from an image matching ${runtimeBase.source} (pinned by digest), starts from ${base}`);
  return problems;
}

/** The final stage sets a numeric, non-zero USER (so runAsNonRoot can verify it). */
export function userProblems(dockerfile: Dockerfile): string[] {
  const user = lastInChain(dockerfile, ['USER']);
  if (!user) return ['the final stage has no USER: the image would run as root'];
  const [uid, gid] = user.args.split(':');
  if (!uid || !/^\d+$/.test(uid)) return [`USER ${user.args} (line ${user.line}) should be numeric (uid[:gid]), so that Kubernetes can verify runAsNonRoot`];
  if (Number(uid) === 0) return [`USER ${user.args} (line ${user.line}) is root`];
  if (gid !== undefined && !/^\d+$/.test(gid)) return [`the group of USER ${user.args} (line ${user.line}) should be numeric`];
  return [];
}

/** The numeric uid the image runs as, if it sets one. */
export function imageUid(dockerfile: Dockerfile): number | undefined {
  const uid = lastInChain(dockerfile, ['USER'])?.args.split(':')[0];
  return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : undefined;
}

/** What the entrypoint runs: the build of the service named by APP, with the flags the launcher gives it too. */
const entryCommand = `node ${nodeRuntime.flags.join(' ')} dist/apps/\${APP}/main.mjs`;

/**
 * The final stage has an ENTRYPOINT that runs `node <nodeRuntime's flags>
 * dist/apps/$APP/main.mjs` (and nothing through tsx), with APP an ENV set
 * from the build argument and nodeRuntime's environment set, and the source
 * entry of every service exists in the context for the build stage.
 */
export function entrypointProblems(dockerfile: Dockerfile, context: BuildContext, apps: readonly string[]): string[] {
  const entrypoint = lastInChain(dockerfile, ['ENTRYPOINT']);
  const cmd = lastInChain(dockerfile, ['CMD']);
  if (!entrypoint && !cmd) return ['the final stage has neither ENTRYPOINT nor CMD'];
  const problems: string[] = [];
  const command = entrypoint ?? cmd;
  const words = command ? (execForm(command.args) ?? [command.args]).join(' ').replace(/\\?"/g, '') : '';
  const runs = [entryCommand, entryCommand.replace('${APP}', '$APP')].some((expected) => words.includes(expected));
  if (!runs || /\btsx\b/.test(words)) problems.push(`the entrypoint (line ${command?.line}) should run "${entryCommand}", it runs: ${words}`);
  const final = finalStage(dockerfile);
  const argApp = final.instructions.some((i) => i.keyword === 'ARG' && splitArg(i.args)[0] === 'APP');
  const envApp = final.instructions.some((i) => i.keyword === 'ENV' && /(^|\s)APP=\$\{?APP\}?(\s|$)/.test(i.args));
  if (!argApp || !envApp) problems.push('the final stage should take `ARG APP` and keep it as `ENV APP=${APP}` for the entrypoint');
  for (const [name, value] of Object.entries(nodeRuntime.environment)) {
    const set = stageChain(dockerfile, final).some((stage) => stage.instructions.some((i) => i.keyword === 'ENV' && new RegExp(`(^|\\s)${name}=${value}(\\s|$)`).test(i.args)));
    if (!set) problems.push(`the final stage should set \`ENV ${name}=${value}\`, as the launcher does (@mail/service-catalog's nodeRuntime)`);
  }
  for (const app of apps) {
    const main = `apps/${app}/src/main.ts`;
    if (!context.includes(main)) problems.push(`${main} is not in the build context (missing or ignored)`);
  }
  return problems;
}

/**
 * The final stage holds the build, not the sources: it copies
 * dist/apps/${APP} from a stage that runs tools/build-app.mjs, and takes
 * nothing from apps/ or libs/ of the build context.
 */
export function compiledRuntimeProblems(dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  const final = finalStage(dockerfile);
  let built = false;
  for (const stage of stageChain(dockerfile, final)) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
      const copy = parseCopy(instruction);
      if (copy.from === undefined) {
        for (const source of copy.sources.filter((path) => /^(\.\/)?(apps|libs)(\/|$)/.test(path))) {
          problems.push(`line ${instruction.line}: the runtime copies sources (${source}); it should hold the build (dist/apps/\${APP}) only`);
        }
        continue;
      }
      const from = findStage(dockerfile, copy.from, stage.index);
      const builds = from !== undefined && stageChain(dockerfile, from).some((s) => s.instructions.some((i) => i.keyword === 'RUN' && i.args.includes('tools/build-app.mjs')));
      if (builds && copy.sources.some((path) => /dist\/apps\/\$\{?APP\}?/.test(path))) built = true;
    }
  }
  if (!built) problems.push('the final stage should copy dist/apps/${APP} from a stage that runs tools/build-app.mjs');
  return problems;
}

/** Every COPY/ADD source taken from the build context exists there and is not ignored. */
export function copySourceProblems(dockerfile: Dockerfile, context: BuildContext): string[] {
  const problems: string[] = [];
  for (const stage of dockerfile.stages) {
    const vars = stageVariables(dockerfile, stage);
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
      const copy = parseCopy(instruction);
      if (copy.from !== undefined) {
        if (!findStage(dockerfile, copy.from, stage.index) && !copy.from.includes(':') && !copy.from.includes('/')) {
          problems.push(`line ${instruction.line}: --from=${copy.from} names no earlier stage`);
        }
        continue;
      }
      for (const raw of copy.sources) {
        const source = substitute(raw, vars);
        if (/^[a-z]+:\/\//.test(source)) {
          problems.push(`line ${instruction.line}: ${instruction.keyword} from a URL (${source}); download in a RUN with a checksum instead`);
          continue;
        }
        if (!sourceMatches(source, context)) {
          problems.push(`line ${instruction.line}: ${instruction.keyword} source ${source} does not exist in the build context (or the ignore file leaves it out)`);
        }
      }
    }
  }
  return problems;
}

function stageVariables(dockerfile: Dockerfile, stage: DockerStage): Map<string, string | undefined> {
  const vars = new Map(dockerfile.globalArgs);
  for (const instruction of stage.instructions) {
    if (instruction.keyword === 'ARG') {
      const [key, value] = splitArg(instruction.args);
      vars.set(key, value ?? vars.get(key));
    }
  }
  return vars;
}

function sourceMatches(source: string, context: BuildContext): boolean {
  const path = source.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return context.files.length > 0;
  if (/[*?[]/.test(path)) {
    const pattern = patternToRegExp(path);
    return context.files.some((file) => file.split('/').some((_, index, parts) => pattern.test(parts.slice(0, index + 1).join('/'))));
  }
  return context.includes(path) || context.files.some((file) => file.startsWith(`${path}/`));
}

/** An `npm ci`/`npm install` in a RUN, and whether it leaves out dev dependencies. */
interface NpmInstall {
  readonly line: number;
  readonly productionOnly: boolean;
}

function npmInstalls(stage: DockerStage): NpmInstall[] {
  return stage.instructions
    .filter((instruction) => instruction.keyword === 'RUN' && /\bnpm\s+(ci|install|i)\b/.test(instruction.args))
    .map((instruction) => ({
      line: instruction.line,
      productionOnly: /--omit[= ]dev\b|--production\b|--only[= ]prod/.test(instruction.args),
    }));
}

/**
 * The final stage carries production dependencies only: no full install in
 * its chain, node_modules copied only from stages that installed with
 * `--omit=dev`, at least one such source, and no tsx among the root
 * package's production dependencies (the services run compiled).
 */
export function productionDependencyProblems(dockerfile: Dockerfile, rootPackage: { dependencies?: Record<string, string> }): string[] {
  const problems: string[] = [];
  const final = finalStage(dockerfile);
  const chain = stageChain(dockerfile, final);
  let productionSources = 0;
  for (const stage of chain) {
    for (const install of npmInstalls(stage)) {
      if (install.productionOnly) productionSources++;
      else problems.push(`line ${install.line}: the final image installs dev dependencies (npm ci without --omit=dev)`);
    }
  }
  for (const instruction of final.instructions) {
    if (instruction.keyword !== 'COPY') continue;
    const copy = parseCopy(instruction);
    if (copy.from === undefined || !copy.sources.some((source) => source.includes('node_modules'))) continue;
    const source = findStage(dockerfile, copy.from, final.index);
    if (!source) {
      problems.push(`line ${instruction.line}: node_modules copied from ${copy.from}, which is not a stage of this file`);
      continue;
    }
    const installs = stageChain(dockerfile, source).flatMap(npmInstalls);
    if (installs.length === 0) problems.push(`line ${instruction.line}: stage ${copy.from} installs nothing, yet node_modules is copied from it`);
    const full = installs.filter((install) => !install.productionOnly);
    for (const install of full) {
      problems.push(`line ${instruction.line}: node_modules comes from stage ${copy.from}, which installs dev dependencies (line ${install.line})`);
    }
    if (installs.length > 0 && full.length === 0) productionSources++;
  }
  if (productionSources === 0) problems.push('the final stage gets no production dependencies (neither `npm ci --omit=dev` nor node_modules from such a stage)');
  if (rootPackage.dependencies?.['tsx']) problems.push('tsx is a production dependency of the root package.json: the image runs the compiled build and must not carry it');
  return problems;
}
