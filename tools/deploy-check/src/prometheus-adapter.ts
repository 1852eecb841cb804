/**
 * The Pods metrics of the HorizontalPodAutoscalers (deploy/kubernetes/base/
 * autoscaling.yaml) reach Kubernetes through prometheus-adapter
 * (deploy/dependencies/prometheus-adapter.values.yaml): each needs a custom
 * rule named after it that reads the service's gauge of the same name per
 * namespace and pod. Without the rule the HPA never sees the metric and
 * scales on CPU alone.
 */
import { parse, parseAllDocuments } from 'yaml';

interface AdapterRule {
  seriesQuery?: string;
  resources?: { overrides?: Record<string, { resource?: string }> };
  name?: { as?: string };
}

interface AdapterValues {
  rules?: { custom?: AdapterRule[] };
}

/** The Pods metrics the HPAs of a manifest scale on. */
export function autoscalerPodsMetrics(autoscalingYaml: string): string[] {
  return parseAllDocuments(autoscalingYaml).flatMap((document) => {
    const hpa = document.toJS() as { spec?: { metrics?: { type: string; pods?: { metric: { name: string } } }[] } } | null;
    return (hpa?.spec?.metrics ?? []).flatMap((metric) => (metric.type === 'Pods' && metric.pods ? [metric.pods.metric.name] : []));
  });
}

/** Problems between the Pods metrics the HPAs use and the custom rules of prometheus-adapter's values. */
export function adapterRuleProblems(adapterValuesYaml: string, autoscalingYaml: string): string[] {
  const rules = (parse(adapterValuesYaml) as AdapterValues | null)?.rules?.custom ?? [];
  const problems: string[] = [];
  for (const metric of autoscalerPodsMetrics(autoscalingYaml)) {
    const rule = rules.find((candidate) => candidate.name?.as === metric);
    if (!rule) {
      problems.push(`prometheus-adapter has no custom rule serving ${metric}, which an HPA scales on`);
      continue;
    }
    if (!new RegExp(`^${metric}\\{`).test(rule.seriesQuery ?? '')) problems.push(`the prometheus-adapter rule ${metric} reads ${rule.seriesQuery}, not the gauge ${metric}`);
    const overrides = rule.resources?.overrides ?? {};
    if (overrides['namespace']?.resource !== 'namespace' || overrides['pod']?.resource !== 'pod')
      problems.push(`the prometheus-adapter rule ${metric} does not map the namespace and pod labels to their resources`);
  }
  return problems;
}
