/**
 * What every alert of deploy/prometheus/alerts.yaml must have besides a
 * valid expression (promtool checks that): a runbook under docs/runbooks
 * named after it, a promtool unit test in deploy/prometheus/tests that
 * makes it fire, and — for the alerts about the services themselves — the
 * services of @mail/service-catalog, all of them. Two defects found once are
 * kept out by name: a backlog summed over the replicas that each report the
 * same shared consumer, and a comparison `>= 0` on a counter's increase or
 * rate (always true).
 */
import { parse } from 'yaml';
import { serviceNames } from '@mail/service-catalog';
import { ruleGroupsOf } from './prometheus-rule';
import { parseDuration } from './quantities';

/** Folder of the unit tests and of the runbooks, relative to the workspace root. */
export const ruleTestsDir = 'deploy/prometheus/tests';
export const runbooksDir = 'docs/runbooks';

interface AlertRule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}

interface RuleTestFile {
  rule_files?: string[];
  tests?: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

/** The alerting rules of a rule file (recording rules left out). */
export function alertsOf(rulesYaml: string): AlertRule[] {
  return ruleGroupsOf(rulesYaml)
    .flatMap((group) => group.rules)
    .filter((rule): rule is Record<string, unknown> & AlertRule => typeof rule['alert'] === 'string')
    .map((rule) => ({ alert: rule.alert, expr: String(rule.expr), annotations: rule.annotations }));
}

/** Every alert links docs/runbooks/<alert>.md, and that file exists. */
export function runbookProblems(alerts: readonly AlertRule[], runbookFiles: readonly string[]): string[] {
  const problems: string[] = [];
  for (const { alert, annotations } of alerts) {
    const url = annotations?.['runbook_url'];
    if (!url) problems.push(`${alert}: no runbook_url annotation`);
    else if (!url.endsWith(`/${runbooksDir}/${alert}.md`)) problems.push(`${alert}: runbook_url ${url} does not end with /${runbooksDir}/${alert}.md`);
    if (!runbookFiles.includes(`${alert}.md`)) problems.push(`${alert}: ${runbooksDir}/${alert}.md does not exist`);
  }
  return problems;
}

/** Every alert fires in at least one promtool unit test (an alert_rule_test with expected alerts), in files that load alerts.yaml. */
export function ruleTestProblems(alerts: readonly AlertRule[], testFiles: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const firing = new Set<string>();
  for (const [name, text] of testFiles) {
    const file = parse(text) as RuleTestFile | null;
    if (!file?.rule_files?.includes('../alerts.yaml')) problems.push(`${ruleTestsDir}/${name}: rule_files should be [../alerts.yaml]`);
    for (const test of file?.tests ?? []) for (const check of test.alert_rule_test ?? []) if ((check.exp_alerts?.length ?? 0) > 0) firing.add(check.alertname);
  }
  for (const { alert } of alerts) if (!firing.has(alert)) problems.push(`${alert}: no promtool unit test in ${ruleTestsDir} makes it fire`);
  return problems;
}

/** The alerts about the services' targets and Deployments name every service of the catalog, and nothing else. */
export function serviceListProblems(alerts: readonly AlertRule[], names: readonly string[] = serviceNames): string[] {
  const problems: string[] = [];
  const expected = [...names].sort().join(',');
  for (const name of ['MailServiceDown', 'MailServiceAllReplicasDown']) {
    const expr = alerts.find((a) => a.alert === name)?.expr ?? '';
    const jobs = /job=~"([^"]*)"/.exec(expr)?.[1]?.split('|').sort().join(',');
    if (jobs !== expected) problems.push(`${name} watches jobs [${jobs ?? ''}], the service catalog has [${expected}]`);
  }
  // kube-state-metrics names the Deployment; every selector of the rule lists them all
  const notReady = alerts.find((a) => a.alert === 'MailServiceNotReady')?.expr ?? '';
  const deploymentLists = [...notReady.matchAll(/deployment=~"([^"]*)"/g)].map((m) => (m[1] ?? '').split('|').sort().join(','));
  if (deploymentLists.length === 0 || deploymentLists.some((list) => list !== expected))
    problems.push(`MailServiceNotReady watches deployments [${deploymentLists.join('] and [')}], the service catalog has [${expected}]`);
  const absent = alerts.find((a) => a.alert === 'MailServiceAbsent')?.expr ?? '';
  const watched = [...absent.matchAll(/absent\(up\{job="([^"]+)"\}\)/g)]
    .map((m) => m[1])
    .sort()
    .join(',');
  if (watched !== expected) problems.push(`MailServiceAbsent watches [${watched}], the service catalog has [${expected}]`);
  return problems;
}

/** Expressions known to mislead: a consumer's backlog not taken as max over replicas, a counter's increase compared with `>= 0`. */
export function misleadingExpressionProblems(alerts: readonly AlertRule[]): string[] {
  const problems: string[] = [];
  for (const { alert, expr } of alerts) {
    const uses = expr.match(/\bmail_bus_consumer_pending\b/g)?.length ?? 0;
    const maxed = expr.match(/max by \([^)]*\) \((?:deriv\()?mail_bus_consumer_pending\b/g)?.length ?? 0;
    if (uses !== maxed) problems.push(`${alert}: take mail_bus_consumer_pending with max by (...) — every replica reports the same shared consumer, a sum multiplies it`);
    if (/\b(?:increase|rate)\([^()]*\)\)\s*>=\s*0\b/.test(expr)) problems.push(`${alert}: an increase or rate compared with >= 0 is always true`);
  }
  return problems;
}

/**
 * MailOutboundMessageNearMaxAge warns at 80 % of OUTBOUND_MAX_AGE (the
 * `le` bucket of mail_bus_delivery_age_seconds it subtracts), as the
 * base's config.env sets it: a changed max age moves the alert too.
 */
export function maxAgeThresholdProblems(alerts: readonly AlertRule[], configEnv: string): string[] {
  const setting = /^OUTBOUND_MAX_AGE=(.+)$/m.exec(configEnv)?.[1]?.trim();
  const maxAgeMs = setting === undefined ? undefined : parseDuration(setting);
  if (maxAgeMs === undefined) return [`config.env sets no OUTBOUND_MAX_AGE duration (${setting})`];
  const expr = alerts.find((a) => a.alert === 'MailOutboundMessageNearMaxAge')?.expr ?? '';
  const threshold = /mail_bus_delivery_age_seconds_bucket\{[^}]*le="(\d+)"/.exec(expr)?.[1];
  const expected = Math.round((0.8 * maxAgeMs) / 1000);
  return threshold === String(expected)
    ? []
    : [`MailOutboundMessageNearMaxAge warns at le="${threshold}", expected ${expected} (80 % of OUTBOUND_MAX_AGE=${setting}; a bucket of mail_bus_delivery_age_seconds in libs/bus)`];
}
