import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertsOf, maxAgeThresholdProblems, misleadingExpressionProblems, ruleTestProblems, ruleTestsDir, runbookProblems, runbooksDir, serviceListProblems } from './alert-rules';
import { alertRulesPath } from './prometheus-rule';
import { readWorkspaceFile, workspaceRoot } from './workspace';

const alerts = alertsOf(readWorkspaceFile(alertRulesPath));
const runbooks = readdirSync(join(workspaceRoot, runbooksDir));
const testFiles = new Map(
  readdirSync(join(workspaceRoot, ruleTestsDir))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => [file, readWorkspaceFile(`${ruleTestsDir}/${file}`)]),
);

describe('the alert rules of deploy/prometheus/alerts.yaml', () => {
  it('each link a runbook in docs/runbooks that exists', () => {
    expect(alerts.length).toBeGreaterThan(10);
    expect(runbookProblems(alerts, runbooks)).toEqual([]);
  });

  it('each fire in a promtool unit test of deploy/prometheus/tests', () => {
    expect(ruleTestProblems(alerts, testFiles)).toEqual([]);
  });

  it('watch every service of the catalog', () => {
    expect(serviceListProblems(alerts)).toEqual([]);
  });

  it('warn about old outbound messages at 80 % of OUTBOUND_MAX_AGE', () => {
    expect(maxAgeThresholdProblems(alerts, readWorkspaceFile('deploy/kubernetes/base/config.env'))).toEqual([]);
    expect(maxAgeThresholdProblems(alerts, 'OUTBOUND_MAX_AGE=3d\n')).toEqual([expect.stringMatching(/warns at le="345600", expected 207360/)]);
  });

  it('take the consumer backlog as max over replicas and compare no increase with >= 0', () => {
    expect(misleadingExpressionProblems(alerts)).toEqual([]);
  });
});

describe('the alert checks find', () => {
  const rule = (alert: string, expr: string, runbook = `https://example.org/x/${runbooksDir}/${alert}.md`) => ({ alert, expr, annotations: { runbook_url: runbook } });

  it('a missing or misnamed runbook', () => {
    expect(runbookProblems([rule('A', 'up'), rule('B', 'up', 'https://example.org/B.md')], ['A.md'])).toEqual([
      `B: runbook_url https://example.org/B.md does not end with /${runbooksDir}/B.md`,
      `B: ${runbooksDir}/B.md does not exist`,
    ]);
  });

  it('an alert no test makes fire, and a test file on other rules', () => {
    const tests = new Map([['t.yaml', 'rule_files: [other.yaml]\ntests:\n  - alert_rule_test:\n      - alertname: A\n        exp_alerts: [{}]\n      - alertname: B\n        exp_alerts: []\n']]);
    expect(ruleTestProblems([rule('A', 'up'), rule('B', 'up')], tests)).toEqual([
      `${ruleTestsDir}/t.yaml: rule_files should be [../alerts.yaml]`,
      `B: no promtool unit test in ${ruleTestsDir} makes it fire`,
    ]);
  });

  it('a service left out of the service alerts (pop3-server and outbound-relay once were)', () => {
    const old = [
      rule('MailServiceDown', 'up{job=~"a|b"} == 0'),
      rule('MailServiceAllReplicasDown', 'max by (job) (up{job=~"a|b|c"}) == 0'),
      rule('MailServiceNotReady', 'max(kube_deployment_status_replicas_available{deployment=~"c|b|a"}) == 0 and max(kube_deployment_spec_replicas{deployment=~"a|c"}) > 0'),
      rule('MailServiceAbsent', 'absent(up{job="a"}) or absent(up{job="c"})'),
    ];
    expect(serviceListProblems(old, ['a', 'b', 'c'])).toEqual([
      'MailServiceDown watches jobs [a,b], the service catalog has [a,b,c]',
      'MailServiceNotReady watches deployments [a,b,c] and [a,c], the service catalog has [a,b,c]',
      'MailServiceAbsent watches [a,c], the service catalog has [a,b,c]',
    ]);
  });

  it('a backlog summed over replicas and an always-true comparison', () => {
    expect(
      misleadingExpressionProblems([
        rule('Sum', 'sum by (namespace) (mail_bus_consumer_pending{consumer="x"}) > 100'),
        rule('Max', 'max by (namespace, consumer) (mail_bus_consumer_pending{consumer="x"}) > 100 and max by (namespace) (deriv(mail_bus_consumer_pending[30m])) > 0'),
        rule('Always', 'sum(increase(a_total[30m])) == 0 and sum by (namespace) (increase(b_total[30m])) >= 0'),
      ]),
    ).toEqual([expect.stringMatching(/^Sum: take mail_bus_consumer_pending with max by/), 'Always: an increase or rate compared with >= 0 is always true']);
  });
});
