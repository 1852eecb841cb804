/**
 * PROMTOOL TESTS — need promtool (Debian package prometheus). The alert
 * rules pass `promtool check rules`, and every unit test of
 * deploy/prometheus/tests passes `promtool test rules`. Without promtool
 * these tests are skipped outside CI and fail under CI, naming the package.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeWithTools, externalTools } from '@mail/testing';
import { expect, it } from 'vitest';
import { ruleTestsDir } from '../src/alert-rules';
import { alertRulesPath } from '../src/prometheus-rule';
import { workspaceRoot } from '../src/workspace';

const run = promisify(execFile);
const testsDir = join(workspaceRoot, ruleTestsDir);
const testFiles = readdirSync(testsDir).filter((file) => file.endsWith('.yaml'));

describeWithTools([externalTools.promtool], 'the alert rules under promtool', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', join(workspaceRoot, alertRulesPath)]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.each(testFiles)('pass the unit tests of %s (promtool test rules)', async (file) => {
    const result = await run('promtool', ['test', 'rules', file], { cwd: testsDir }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout ?? ''}${error.stderr ?? ''}` }));
    expect(result.stdout).toContain('SUCCESS');
    expect(result.stdout).not.toContain('FAILED');
  });
});
