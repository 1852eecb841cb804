/**
 * A small Dockerfile reader: enough of the Dockerfile reference to check an
 * image definition statically (no engine is needed or used). It joins
 * continuation lines, drops comments and parser directives, splits the file
 * into stages at FROM, and parses COPY/ADD and the exec form of
 * ENTRYPOINT/CMD. Heredocs and non-default escape characters are not
 * supported; the reader fails loudly on what it does not understand.
 */

/** One instruction, after joining its continuation lines. */
export interface DockerInstruction {
  /** Upper-case keyword: RUN, COPY, USER… */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly args: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

/** A build stage: a FROM and the instructions up to the next FROM. */
export interface DockerStage {
  readonly index: number;
  /** The `AS name` of the stage, lower-case, if any. */
  readonly name: string | undefined;
  /** The image or stage it starts from, with global ARG defaults substituted. */
  readonly base: string;
  readonly instructions: readonly DockerInstruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly DockerStage[];
}

/** A COPY or ADD: its flags, sources and destination. */
export interface CopyInstruction {
  /** `--from=<stage or image>` when copying from another stage. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly destination: string;
}

export class DockerfileSyntaxError extends Error {
  override readonly name = 'DockerfileSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Splits a Dockerfile into instructions (comments, blank lines and continuations handled). */
export function readInstructions(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/);
  const instructions: DockerInstruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines (and parser directives) are dropped, also inside a continuation.
    if (trimmed.startsWith('#')) return;
    // Blank lines end nothing: Docker skips them, also inside a continuation.
    if (trimmed === '') return;
    const continues = /\\\s*$/.test(raw);
    const content = continues ? raw.replace(/\\\s*$/, '') : raw;
    if (pending === undefined) pending = { parts: [], line: index + 1 };
    pending.parts.push(content.trim());
    if (!continues) {
      instructions.push(toInstruction(pending.parts.join(' ').trim(), pending.line));
      pending = undefined;
    }
  });
  // A continuation at the end of the file ends the instruction, as in Docker.
  if (pending !== undefined) instructions.push(toInstruction(pending.parts.join(' ').trim(), pending.line));
  return instructions;
}

function toInstruction(text: string, line: number): DockerInstruction {
  const match = /^([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match?.[1]) throw new DockerfileSyntaxError(`not an instruction: ${JSON.stringify(text)}`, line);
  const args = match[2] ?? '';
  if (/^<</.test(args.trim()) || /\s<<-?["']?[A-Z]+/.test(args)) {
    throw new DockerfileSyntaxError('heredocs are not supported by this reader', line);
  }
  return { keyword: match[1].toUpperCase(), args: args.trim(), line };
}

/** Parses a Dockerfile into its global ARGs and stages. */
export function parseDockerfile(text: string): Dockerfile {
  const instructions = readInstructions(text);
  const globalArgs = new Map<string, string | undefined>();
  const stages: { index: number; name: string | undefined; base: string; instructions: DockerInstruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--platform='));
      const [image, as, name] = words;
      if (!image || (as !== undefined && (as.toUpperCase() !== 'AS' || !name))) {
        throw new DockerfileSyntaxError(`FROM needs "image [AS name]", got ${JSON.stringify(instruction.args)}`, instruction.line);
      }
      stages.push({ index: stages.length, name: name?.toLowerCase(), base: substitute(image, globalArgs), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') {
        throw new DockerfileSyntaxError(`${instruction.keyword} before the first FROM`, instruction.line);
      }
      const [key, value] = splitArg(instruction.args);
      globalArgs.set(key, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new DockerfileSyntaxError('no FROM instruction', 1);
  return { globalArgs, stages };
}

/** `NAME=default` or `NAME` of an ARG. */
export function splitArg(args: string): [string, string | undefined] {
  const eq = args.indexOf('=');
  return eq < 0 ? [args.trim(), undefined] : [args.slice(0, eq).trim(), unquote(args.slice(eq + 1).trim())];
}

/** Replaces `$VAR`, `${VAR}` and `${VAR:-default}` with known values (unknown ones become empty). */
export function substitute(value: string, vars: ReadonlyMap<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, braced, fallback, bare) => {
    const known = vars.get((braced ?? bare) as string);
    return known !== undefined && known !== '' ? known : ((fallback as string | undefined) ?? '');
  });
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** The JSON (exec) form of ENTRYPOINT, CMD or RUN, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Parses the arguments of COPY or ADD (shell or JSON form, with flags). */
export function parseCopy(instruction: DockerInstruction): CopyInstruction {
  let rest = instruction.args;
  let from: string | undefined;
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
    if (!flag) break;
    if (flag[1] === 'from') from = flag[2];
    rest = rest.slice(flag[0].length);
  }
  const paths = execForm(rest) ?? rest.split(/\s+/).filter((word) => word !== '');
  const destination = paths.at(-1);
  if (paths.length < 2 || destination === undefined) {
    throw new DockerfileSyntaxError(`${instruction.keyword} needs at least one source and a destination`, instruction.line);
  }
  return { from, sources: paths.slice(0, -1), destination };
}

/**
 * The stages a stage is built on, itself first: `FROM deps AS check`
 * inherits everything of `deps`. External images end the chain.
 */
export function stageChain(dockerfile: Dockerfile, stage: DockerStage): DockerStage[] {
  const chain = [stage];
  let current = stage;
  for (;;) {
    const parent = findStage(dockerfile, current.base, current.index);
    if (!parent) return chain;
    chain.push(parent);
    current = parent;
  }
}

/** The stage a name or index refers to, among the stages before `before`. */
export function findStage(dockerfile: Dockerfile, reference: string, before = dockerfile.stages.length): DockerStage | undefined {
  const earlier = dockerfile.stages.filter((stage) => stage.index < before);
  const byName = earlier.find((stage) => stage.name === reference.toLowerCase());
  if (byName) return byName;
  return /^\d+$/.test(reference) ? earlier.find((stage) => stage.index === Number(reference)) : undefined;
}
