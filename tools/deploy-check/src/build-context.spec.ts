import { describe, expect, it } from 'vitest';
import { BuildContext, contextCoverageProblems, importClosureProblems, packageNameOf, runtimeImports, workspacePackages } from './build-context';
import { DockerIgnore } from './dockerignore';
import { listWorkspaceFiles, readWorkspaceFile, services } from './workspace';

describe('runtimeImports', () => {
  it('finds static, side-effect and dynamic imports and re-exports, skipping type-only ones', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '@mail/b';",
      "import './side-effect';",
      "export * from './c';",
      "export type { D } from './d';",
      "const e = await import('./e.ts');",
      "import {\n  f,\n  g,\n} from 'pkg/sub';",
    ].join('\n');
    expect(runtimeImports(source)).toEqual(['./a', './side-effect', './c', './e.ts', 'pkg/sub']);
  });

  it('names the package of a specifier', () => {
    expect(packageNameOf('@nats-io/jetstream')).toBe('@nats-io/jetstream');
    expect(packageNameOf('tsx/esm/api')).toBe('tsx');
  });
});

describe('the build context of deploy/docker/Dockerfile', () => {
  const files = listWorkspaceFiles();
  const context = new BuildContext(files, DockerIgnore.parse(readWorkspaceFile('deploy/docker/Dockerfile.dockerignore')));
  const packages = workspacePackages(files, readWorkspaceFile);
  const rootPackage = JSON.parse(readWorkspaceFile('package.json')) as { dependencies: Record<string, string> };

  it('holds every workspace manifest and what the services need at run time, and no tests or local state', () => {
    const migrations = files.filter((file) => /^apps\/mailbox-store\/src\/database\/migrations\/.+\.sql$/.test(file));
    expect(migrations.length).toBeGreaterThan(0);
    const required = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.base.json',
      'apps/mailctl/bin/mailctl.js',
      'tools/build-app.mjs',
      ...services.map((service) => `apps/${service}/src/main.ts`),
      ...migrations,
    ];
    const forbidden = [
      'node_modules/tsx/package.json',
      'apps/smtp-ingress/node_modules/x',
      '.git/HEAD',
      '.data/nats/x',
      '.env',
      'deploy/kubernetes/base/kustomization.yaml',
      'libs/testing/src/index.ts',
      'apps/platform-e2e/test/mail-flow.test.ts',
      ...files.filter((file) => file.endsWith('.spec.ts') || /(^|\/)test\//.test(file)),
    ];
    expect(contextCoverageProblems(context, packages, required, forbidden)).toEqual([]);
  });

  it('resolves every import of the service sources to the context or a production dependency', () => {
    const production = new Set(Object.keys(rootPackage.dependencies));
    // The worker bootstrap loads tsx only for a .ts worker entry: from source, never from dist/.
    const developmentOnly = { 'libs/runtime/src/worker-bootstrap.mjs': ['tsx'] };
    expect(importClosureProblems(context, packages, production, readWorkspaceFile, undefined, developmentOnly)).toEqual([]);
  });

  it('reports an import of a dev dependency and of a left-out file', () => {
    const fake = new Map([
      ['apps/a/src/main.ts', "import nodemailer from 'nodemailer';\nimport { h } from '../test-support/harness';\n"],
      ['apps/a/test-support/harness.ts', ''],
    ]);
    const small = new BuildContext([...fake.keys()], DockerIgnore.parse('**/test-support'));
    expect(importClosureProblems(small, [], new Set(['tsx']), (path) => fake.get(path) ?? '')).toEqual([
      expect.stringMatching(/imports nodemailer, which is not a production dependency/),
      expect.stringMatching(/imports \.\.\/test-support\/harness, which is not in the build context/),
    ]);
  });
});
