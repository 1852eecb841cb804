import { describe, expect, it } from 'vitest';
import { DockerIgnore, patternToRegExp } from './dockerignore';

describe('patternToRegExp', () => {
  it('keeps * within one path segment', () => {
    expect(patternToRegExp('tools/*/package.json').test('tools/deploy-check/package.json')).toBe(true);
    expect(patternToRegExp('tools/*/package.json').test('tools/a/b/package.json')).toBe(false);
  });

  it('lets **/ stand for zero or more folders', () => {
    const pattern = patternToRegExp('**/*.spec.ts');
    expect(pattern.test('a.spec.ts')).toBe(true);
    expect(pattern.test('apps/x/src/a.spec.ts')).toBe(true);
    expect(pattern.test('apps/x/src/a.ts')).toBe(false);
  });
});

describe('DockerIgnore', () => {
  const ignore = DockerIgnore.parse(['# comment', '', '**/node_modules', '/.git', 'deploy/', '**/test', 'tools/**', '!tools/*/package.json'].join('\n'));

  it('leaves out a matching folder with everything inside it', () => {
    expect(ignore.excludes('apps/a/test/x.test.ts')).toBe(true);
    expect(ignore.excludes('node_modules/tsx/package.json')).toBe(true);
    expect(ignore.excludes('libs/bus/node_modules/x/index.js')).toBe(true);
    expect(ignore.excludes('.git/HEAD')).toBe(true);
    expect(ignore.excludes('deploy/docker/Dockerfile')).toBe(true);
  });

  it('lets a later ! pattern take a file back', () => {
    expect(ignore.excludes('tools/dev-stack/src/main.ts')).toBe(true);
    expect(ignore.excludes('tools/dev-stack/package.json')).toBe(false);
  });

  it('keeps what no pattern matches', () => {
    expect(ignore.excludes('apps/smtp-ingress/src/main.ts')).toBe(false);
    expect(ignore.excludes('apps/a/src/testing.ts')).toBe(false);
  });
});
