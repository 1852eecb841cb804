import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRulesPath, prometheusRuleFor, prometheusRulePath, renderedRuleProblems, ruleDriftProblems, ruleGroupsOf } from './prometheus-rule';
import { readWorkspaceFile } from './workspace';

const alerts = readWorkspaceFile(alertRulesPath);
const committed = readWorkspaceFile(prometheusRulePath);

describe('the PrometheusRule of the alert rules', () => {
  it('has the same groups and rules as deploy/prometheus/alerts.yaml (no drift)', () => {
    expect(ruleGroupsOf(alerts).length).toBeGreaterThan(0);
    expect(ruleDriftProblems(alerts, committed)).toEqual([]);
  });

  it('is exactly what the generator writes from alerts.yaml', () => {
    expect(committed).toBe(prometheusRuleFor(alerts));
  });

  it('is a PrometheusRule object with a name', () => {
    expect(parse(committed)).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'mail-platform-alerts' } });
  });

  it('reports a changed threshold, a missing rule and a missing group', () => {
    const changed = alerts.replace(') > 100\n', ') > 200\n');
    expect(changed).not.toBe(alerts);
    expect(ruleDriftProblems(changed, committed)).toEqual(expect.arrayContaining([expect.stringMatching(/rule MailOutboundQueueGrowing differs/)]));
    const groups = ruleGroupsOf(alerts);
    const fewerRules = prometheusRuleFor(alerts).replace(/\n {8}- alert: MailRedeliveryStorm\n(?: {10}.*\n)+/, '\n');
    expect(ruleDriftProblems(alerts, fewerRules).join('\n')).toMatch(/MailRedeliveryStorm differs/);
    const oneGroupLess = `groups:\n${alerts.split('\ngroups:\n')[1]?.split(/\n {2}- name: /)[0]}\n`;
    expect(ruleGroupsOf(oneGroupLess)).toHaveLength(1);
    expect(ruleDriftProblems(oneGroupLess, committed).join('\n')).toMatch(/groups differ/);
    expect(groups.length).toBeGreaterThan(1);
  });

  it('refuses another kind, and a rendered overlay with no or two PrometheusRules', () => {
    expect(ruleDriftProblems(alerts, 'kind: ConfigMap\n')).toEqual([`${prometheusRulePath} is not a PrometheusRule`]);
    const object = parse(committed) as unknown;
    expect(renderedRuleProblems([object], alerts)).toEqual([]);
    expect(renderedRuleProblems([], alerts)).toEqual(['expected one PrometheusRule, found 0']);
    expect(renderedRuleProblems([object, object], alerts)).toEqual(['expected one PrometheusRule, found 2']);
  });
});
