import { describe, expect, it } from 'vitest';
import { BuildContext } from './build-context';
import { parseDockerfile } from './dockerfile';
import { DockerIgnore } from './dockerignore';
import { compiledRuntimeProblems, copySourceProblems, entrypointProblems, imageUid, multiStageProblems, pinnedNodeBase, productionDependencyProblems, userProblems } from './image-definition';
import { readTestdata } from './testdata';
import { listWorkspaceFiles, readWorkspaceFile, services } from './workspace';

const dockerfilePath = 'deploy/docker/Dockerfile';
const rootPackage = JSON.parse(readWorkspaceFile('package.json')) as { dependencies?: Record<string, string>; engines: { node: string } };
/** The Node line the workspace runs on (engines.node ^26.0.0 → 26); the image must be on the same. */
const nodeMajor = Number(/\d+/.exec(rootPackage.engines.node)?.[0]);
const runtimeBase = pinnedNodeBase(nodeMajor);

describe(`the image definition ${dockerfilePath}`, () => {
  const dockerfile = parseDockerfile(readWorkspaceFile(dockerfilePath));
  const context = new BuildContext(listWorkspaceFiles(), DockerIgnore.parse(readWorkspaceFile(`${dockerfilePath}.dockerignore`)));

  it(`is a multi-stage build ending on node:${nodeMajor}-slim pinned by digest`, () => {
    expect(multiStageProblems(dockerfile, runtimeBase)).toEqual([]);
  });

  it('runs as a numeric non-root user (the uid of runAsUser in the manifests)', () => {
    expect(userProblems(dockerfile)).toEqual([]);
    expect(imageUid(dockerfile)).toBe(1000);
  });

  it('starts the build of the service named by APP, and every service has an entry file to build', () => {
    expect(entrypointProblems(dockerfile, context, services)).toEqual([]);
  });

  it('holds the build, not the sources', () => {
    expect(compiledRuntimeProblems(dockerfile)).toEqual([]);
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
    expect([
      ...multiStageProblems(dockerfile, pinnedNodeBase(26)),
      ...userProblems(dockerfile),
      ...entrypointProblems(dockerfile, context, ['a']),
      ...compiledRuntimeProblems(dockerfile),
      ...productionDependencyProblems(dockerfile, { dependencies: { pg: '8' } }),
    ]).toEqual([]);
  });

  it('find a root user and a named user', () => {
    expect(userProblems(parseDockerfile(readTestdata('dockerfile/root-user.Dockerfile')))).toEqual([expect.stringMatching(/USER root .* numeric/)]);
    expect(userProblems(parseDockerfile(readTestdata('dockerfile/named-user.Dockerfile')))).toEqual([expect.stringMatching(/USER node/)]);
    expect(userProblems(parseDockerfile('FROM a AS b\nFROM b\nUSER 0:0\n'))).toEqual([expect.stringMatching(/is root/)]);
    expect(userProblems(parseDockerfile('FROM a AS b\nFROM b\n'))).toEqual([expect.stringMatching(/no USER/)]);
  });

  it('inherit USER and ENTRYPOINT through FROM <stage>', () => {
    const dockerfile = parseDockerfile('FROM node:26-slim AS base\nUSER 1000\nFROM base\nRUN true\n');
    expect(userProblems(dockerfile)).toEqual([]);
    expect(entrypointProblems(dockerfile, context, [])).toEqual(['the final stage has neither ENTRYPOINT nor CMD']);
  });

  it('find dev dependencies copied into the runtime and a missing COPY source', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/dev-deps-in-runtime.Dockerfile'));
    expect(productionDependencyProblems(dockerfile, { dependencies: { tsx: '4' } })).toEqual([
      expect.stringMatching(/stage deps, which installs dev dependencies/),
      expect.stringMatching(/no production dependencies/),
      expect.stringMatching(/tsx is a production dependency/),
    ]);
    expect(compiledRuntimeProblems(dockerfile)).toEqual([expect.stringMatching(/copy dist\/apps\/\$\{APP\} from a stage that runs tools\/build-app.mjs/)]);
    expect(copySourceProblems(dockerfile, context)).toEqual([expect.stringMatching(/missing-folder\/ does not exist/)]);
  });

  it('find a single-stage build with a full install on the wrong base', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/single-stage.Dockerfile'));
    expect(multiStageProblems(dockerfile, pinnedNodeBase(26))).toHaveLength(2);
    expect(productionDependencyProblems(dockerfile, { dependencies: {} })).toEqual([expect.stringMatching(/installs dev dependencies/), expect.stringMatching(/no production dependencies/)]);
  });

  it('find an entrypoint that does not start the service', () => {
    const dockerfile = parseDockerfile(readTestdata('dockerfile/named-user.Dockerfile'));
    expect(entrypointProblems(dockerfile, context, ['a', 'b'])).toEqual([
      expect.stringMatching(/should run "node --enable-source-maps --v8-pool-size=2 dist\/apps\/\$\{APP\}\/main.mjs"/),
      expect.stringMatching(/ARG APP/),
      "the final stage should set `ENV MALLOC_ARENA_MAX=2`, as the launcher does (@mail/service-catalog's nodeRuntime)",
      'apps/b/src/main.ts is not in the build context (missing or ignored)',
    ]);
  });

  it('find a base that is not pinned by digest or on another Node line, an entrypoint through tsx, and sources in the runtime', () => {
    const digest = 'a'.repeat(64);
    expect(multiStageProblems(parseDockerfile('FROM node:26-slim AS a\nFROM a\n'), pinnedNodeBase(26))).toEqual([expect.stringMatching(/pinned by digest/)]);
    expect(multiStageProblems(parseDockerfile(`FROM node:24-slim@sha256:${digest} AS a\nFROM a\n`), pinnedNodeBase(26))).toEqual([expect.stringMatching(/starts from node:24-slim/)]);
    expect(multiStageProblems(parseDockerfile(`FROM node:26-slim@sha256:${digest} AS a\nFROM a\n`), pinnedNodeBase(26))).toEqual([]);
    const fromSources = parseDockerfile(
      readTestdata('dockerfile/root-user.Dockerfile').replace('dist/apps/${APP}/main.mjs', '--import tsx apps/${APP}/src/main.ts') + 'ENV MALLOC_ARENA_MAX=2\nCOPY libs/ libs/\n',
    );
    expect(entrypointProblems(fromSources, context, ['a'])).toEqual([expect.stringMatching(/should run "node --enable-source-maps/)]);
    expect(compiledRuntimeProblems(fromSources)).toEqual([expect.stringMatching(/copies sources \(libs\/\)/), expect.stringMatching(/tools\/build-app.mjs/)]);
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
