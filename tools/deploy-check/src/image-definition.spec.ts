import { describe, expect, it } from 'vitest';
import { BuildContext } from './build-context';
import { parseDockerfile } from './dockerfile';
import { DockerIgnore } from './dockerignore';
import {
  copySourceProblems,
  entrypointProblems,
  imageUid,
  multiStageProblems,
  productionDependencyProblems,
  userProblems,
} from './image-definition';
import { readTestdata } from './testdata';
import { listWorkspaceFiles, readWorkspaceFile, services } from './workspace';

const dockerfilePath = 'deploy/docker/Dockerfile';
const rootPackage = JSON.parse(readWorkspaceFile('package.json')) as { dependencies?: Record<string, string> };

describe(`the image definition ${dockerfilePath}`, () => {
  const dockerfile = parseDockerfile(readWorkspaceFile(dockerfilePath));
  const context = new BuildContext(listWorkspaceFiles(), DockerIgnore.parse(readWorkspaceFile(`${dockerfilePath}.dockerignore`)));

  it('is a multi-stage build ending on node:20-slim', () => {
    expect(multiStageProblems(dockerfile, 'node:20-slim')).toEqual([]);
  });

  it('runs as a numeric non-root user (the uid of runAsUser in the manifests)', () => {
    expect(userProblems(dockerfile)).toEqual([]);
    expect(imageUid(dockerfile)).toBe(1000);
  });

  it('starts the service named by APP through tsx, and every service has an entry file', () => {
    expect(entrypointProblems(dockerfile, context, services)).toEqual([]);
  });

  it('copies only paths that exist in the build context', () => {
    expect(copySourceProblems(dockerfile, context)).toEqual([]);
  });

  it('ships production dependencies only in the final stage', () => {
    expect(productionDependencyProblems(dockerfile, rootPackage)).toEqual([]);
  });
});

describe('the image checks on bad definitions', () => {
  const context = new BuildContext(['package.json', 'apps/a/src/main.ts'], DockerIgnore.parse(''));

  it('accept the good fixture', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/good.Dockerfile'));
    expect([...multiStageProblems(dockerfile, 'node:20-slim'), ...userProblems(dockerfile), ...entrypointProblems(dockerfile, context, ['a']), ...productionDependencyProblems(dockerfile, { dependencies: { tsx: '4' } })]).toEqual([]);
  });

  it('find a root user and a named user', () => {
    expect(userProblems(parseDockerfile(readTestdata('dockerfile/root-user.Dockerfile')))).toEqual([expect.stringMatching(/USER root .* numeric/)]);
    expect(userProblems(parseDockerfile(readTestdata('dockerfile/named-user.Dockerfile')))).toEqual([expect.stringMatching(/USER node/)]);
    expect(userProblems(parseDockerfile('FROM a AS b\nFROM b\nUSER 0:0\n'))).toEqual([expect.stringMatching(/is root/)]);
    expect(userProblems(parseDockerfile('FROM a AS b\nFROM b\n'))).toEqual([expect.stringMatching(/no USER/)]);
  });

  it('inherit USER and ENTRYPOINT through FROM <stage>', () => {
    const dockerfile = parseDockerfile('FROM node:20-slim AS base\nUSER 1000\nFROM base\nRUN true\n');
    expect(userProblems(dockerfile)).toEqual([]);
    expect(entrypointProblems(dockerfile, context, [])).toEqual(['the final stage has neither ENTRYPOINT nor CMD']);
  });

  it('find dev dependencies copied into the runtime and a missing COPY source', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/dev-deps-in-runtime.Dockerfile'));
    expect(productionDependencyProblems(dockerfile, { dependencies: {} })).toEqual([
      expect.stringMatching(/stage deps, which installs dev dependencies/),
      expect.stringMatching(/no production dependencies/),
      expect.stringMatching(/tsx .* not a production dependency/),
    ]);
    expect(copySourceProblems(dockerfile, context)).toEqual([expect.stringMatching(/missing-folder\/ does not exist/)]);
  });

  it('find a single-stage build with a full install on the wrong base', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/single-stage.Dockerfile'));
    expect(multiStageProblems(dockerfile, 'node:20-slim')).toHaveLength(2);
    expect(productionDependencyProblems(dockerfile, { dependencies: { tsx: '4' } })).toEqual([
      expect.stringMatching(/installs dev dependencies/),
      expect.stringMatching(/no production dependencies/),
    ]);
  });

  it('find an entrypoint that does not start the service', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/named-user.Dockerfile'));
    expect(entrypointProblems(dockerfile, context, ['a', 'b'])).toEqual([
      expect.stringMatching(/should run "node --import tsx/),
      expect.stringMatching(/ARG APP/),
      'apps/b/src/main.ts is not in the build context (missing or ignored)',
    ]);
  });

  it('find a COPY source the ignore file leaves out', () => {
    const ignored = new BuildContext(['package.json', 'apps/a/src/main.ts'], DockerIgnore.parse('apps'));
    const dockerfile = parseDockerfile('FROM a AS b\nFROM b\nCOPY apps/ apps/\nCOPY --from=nowhere /x /x\n');
    expect(copySourceProblems(dockerfile, ignored)).toEqual([
      expect.stringMatching(/line 3: COPY source apps\/ does not exist/),
      expect.stringMatching(/line 4: --from=nowhere names no earlier stage/),
    ]);
  });
});
