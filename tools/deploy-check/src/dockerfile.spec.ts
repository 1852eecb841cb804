import { describe, expect, it } from 'vitest';
import { DockerfileSyntaxError, type DockerStage, execForm, parseCopy, parseDockerfile, readInstructions, stageChain, substitute } from './dockerfile';
import { readTestdata } from './testdata';

describe('readInstructions', () => {
  it('joins continuation lines and drops comments and directives', () => {
    const instructions = readInstructions(readTestdata('dockerfile/good.Dockerfile'));
    const install = instructions.find((i) => i.keyword === 'RUN' && i.args.includes('--omit=dev'));
    expect(install).toMatchObject({ args: 'npm ci --omit=dev', line: 16 });
    expect(instructions.some((i) => i.args.includes('syntax='))).toBe(false);
  });

  it('drops comment lines inside a continuation', () => {
    const [run] = readInstructions('RUN a \\\n# note\n  && b\n');
    expect(run).toMatchObject({ keyword: 'RUN', args: 'a && b' });
  });

  it('ends an instruction whose continuation runs into the end of the file', () => {
    const instructions = readInstructions(readTestdata('dockerfile/continuation-at-end.Dockerfile'));
    expect(instructions.at(-1)).toMatchObject({ keyword: 'RUN', args: 'echo', line: 2 });
  });

  it('skips blank lines inside a continuation', () => {
    expect(readInstructions('RUN a \\\n\n  b\n')).toEqual([{ keyword: 'RUN', args: 'a b', line: 1 }]);
  });

  it('refuses a line that is not an instruction', () => {
    expect(() => readInstructions('FROM x\n--flag\n')).toThrow(DockerfileSyntaxError);
  });

  it('refuses heredocs rather than misreading them', () => {
    expect(() => readInstructions('FROM x\nRUN <<EOF\necho\nEOF\n')).toThrow(/heredocs/);
  });
});

describe('parseDockerfile', () => {
  it('splits stages, names them and substitutes global ARG defaults in FROM', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/good.Dockerfile'));
    const base = `node:26-slim@sha256:${'a'.repeat(64)}`;
    expect(dockerfile.stages.map((s) => [s.name, s.base])).toEqual([
      ['deps', base],
      ['build', 'deps'],
      ['prod-deps', base],
      [undefined, base],
    ]);
    expect(dockerfile.globalArgs.get('NODE_IMAGE')).toBe(base);
  });

  it('follows FROM <stage> to the stages it inherits', () => {
    const dockerfile = parseDockerfile('FROM node:26-slim AS base\nFROM base AS check\nRUN true\n');
    expect(stageChain(dockerfile, dockerfile.stages[1] as DockerStage).map((s) => s.name)).toEqual(['check', 'base']);
  });

  it('refuses instructions before the first FROM other than ARG', () => {
    expect(() => parseDockerfile('RUN true\nFROM x\n')).toThrow(/before the first FROM/);
  });

  it('refuses a malformed FROM', () => {
    expect(() => parseDockerfile('FROM x AS\n')).toThrow(/FROM needs/);
  });
});

describe('parseCopy', () => {
  it('reads --from, sources and destination in shell form', () => {
    const copy = parseCopy({ keyword: 'COPY', args: '--from=prod-deps --chown=1000:1000 /app/node_modules ./node_modules', line: 1 });
    expect(copy).toEqual({ from: 'prod-deps', sources: ['/app/node_modules'], destination: './node_modules' });
  });

  it('reads the JSON form', () => {
    expect(parseCopy({ keyword: 'COPY', args: '["a b", "c", "/dest/"]', line: 1 })).toEqual({ from: undefined, sources: ['a b', 'c'], destination: '/dest/' });
  });

  it('needs a source and a destination', () => {
    expect(() => parseCopy({ keyword: 'COPY', args: 'only-one', line: 3 })).toThrow(/line 3/);
  });
});

describe('execForm and substitute', () => {
  it('reads the exec form and leaves the shell form alone', () => {
    expect(execForm('["node", "main.js"]')).toEqual(['node', 'main.js']);
    expect(execForm('node main.js')).toBeUndefined();
  });

  it('substitutes ${VAR}, $VAR and ${VAR:-default}', () => {
    const vars = new Map([['A', 'x']]);
    expect(substitute('${A}/$A/${B:-y}/${B}', vars)).toBe('x/x/y/');
  });
});
