/**
 * The alert rules exist twice: deploy/prometheus/alerts.yaml, a plain
 * Prometheus rule file (`promtool check rules`, `rule_files:` of a Prometheus
 * without the operator), and deploy/prometheus/prometheus-rule.yaml, the same
 * groups as a Prometheus Operator `PrometheusRule` that the kustomize base
 * applies. alerts.yaml is the source: `prometheusRuleFor` writes the object
 * from it (tools/deploy-check/src/write-prometheus-rule.ts), and
 * `ruleDriftProblems` says where the two no longer agree.
 */
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';

/** Workspace paths of the two files. */
export const alertRulesPath = 'deploy/prometheus/alerts.yaml';
export const prometheusRulePath = 'deploy/prometheus/prometheus-rule.yaml';

/** Name of the PrometheusRule object. */
export const prometheusRuleName = 'mail-platform-alerts';

interface RuleGroup {
  name: string;
  rules: Record<string, unknown>[];
}

/** The `groups` of a Prometheus rule file. */
export function ruleGroupsOf(rulesYaml: string): RuleGroup[] {
  const file = parse(rulesYaml) as { groups?: RuleGroup[] } | null;
  return file?.groups ?? [];
}

const header = `# GENERATED from alerts.yaml by tools/deploy-check/src/write-prometheus-rule.ts
# (node --import tsx tools/deploy-check/src/write-prometheus-rule.ts); edit
# alerts.yaml and run it again: the deploy-check tests fail when they differ.
# kube-prometheus-stack only loads PrometheusRules that carry its release
# label unless ruleSelectorNilUsesHelmValues=false (deploy/README.md).
`;

/** The YAML text of the PrometheusRule carrying the groups of `alertsYaml`. */
export function prometheusRuleFor(alertsYaml: string): string {
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: prometheusRuleName, labels: { 'app.kubernetes.io/name': 'mail-platform' } },
    spec: { groups: ruleGroupsOf(alertsYaml) },
  };
  return header + stringify(rule, { lineWidth: 0 });
}

/** Where the PrometheusRule's groups differ from alerts.yaml (empty when they agree). */
export function ruleDriftProblems(alertsYaml: string, prometheusRuleYaml: string): string[] {
  const rule = parse(prometheusRuleYaml) as { kind?: string; spec?: { groups?: RuleGroup[] } } | null;
  if (rule?.kind !== 'PrometheusRule') return [`${prometheusRulePath} is not a PrometheusRule`];
  const source = ruleGroupsOf(alertsYaml);
  const copy = rule.spec?.groups ?? [];
  const problems: string[] = [];
  const names = (groups: RuleGroup[]) => groups.map((g) => g.name);
  if (!isDeepStrictEqual(names(source), names(copy))) problems.push(`groups differ: alerts.yaml has [${names(source).join(', ')}], the PrometheusRule [${names(copy).join(', ')}]`);
  for (const group of source) {
    const other = copy.find((g) => g.name === group.name);
    if (!other) continue;
    const label = (r: Record<string, unknown>) => String(r['alert'] ?? r['record']);
    group.rules.forEach((ruleOfSource, i) => {
      if (!isDeepStrictEqual(ruleOfSource, other.rules[i])) problems.push(`group ${group.name}: rule ${label(ruleOfSource)} differs from the PrometheusRule's`);
    });
    if (other.rules.length > group.rules.length) problems.push(`group ${group.name}: the PrometheusRule has rules alerts.yaml does not`);
  }
  return problems.length > 0 ? [...problems, `regenerate ${prometheusRulePath}: node --import tsx tools/deploy-check/src/write-prometheus-rule.ts`] : [];
}

/** The rendered overlay carries exactly one PrometheusRule, with the groups of alerts.yaml. */
export function renderedRuleProblems(prometheusRules: readonly unknown[], alertsYaml: string): string[] {
  if (prometheusRules.length !== 1) return [`expected one PrometheusRule, found ${prometheusRules.length}`];
  return ruleDriftProblems(alertsYaml, stringify(prometheusRules[0]));
}
