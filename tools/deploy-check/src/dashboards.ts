/**
 * The Grafana dashboards of deploy/grafana: kustomize reads only the files
 * its configMapGenerator lists, so every *.json there must be listed (and
 * every listed file must exist).
 */
import { parse } from 'yaml';
import { autoscalerPodsMetrics } from './prometheus-adapter';

interface DashboardKustomization {
  configMapGenerator?: { name: string; files?: string[] }[];
}

/** Problems between the dashboard files present and those the generator lists. */
export function dashboardListProblems(kustomizationYaml: string, jsonFiles: readonly string[]): string[] {
  const kustomization = parse(kustomizationYaml) as DashboardKustomization;
  const generator = kustomization.configMapGenerator?.find((g) => g.name === 'mail-grafana-dashboards');
  if (!generator) return ['deploy/grafana/kustomization.yaml has no configMapGenerator mail-grafana-dashboards'];
  // An entry is `file.json` or `key=file.json`.
  const listed = new Set((generator.files ?? []).map((entry) => entry.slice(entry.indexOf('=') + 1)));
  return [
    ...jsonFiles.filter((file) => !listed.has(file)).map((file) => `deploy/grafana/${file} is not listed in deploy/grafana/kustomization.yaml, so it never reaches Grafana`),
    ...[...listed].filter((file) => !jsonFiles.includes(file)).map((file) => `deploy/grafana/kustomization.yaml lists ${file}, which does not exist`),
  ];
}

/** The PromQL expressions of a dashboard's panels. */
export function dashboardExpressions(dashboardJson: string): string[] {
  const dashboard = JSON.parse(dashboardJson) as { panels?: { targets?: { expr?: string }[] }[] };
  return (dashboard.panels ?? []).flatMap((panel) => (panel.targets ?? []).flatMap((target) => (target.expr ? [target.expr] : [])));
}

/** The Pods metrics the HorizontalPodAutoscalers of a manifest scale on: each should be on a dashboard, so people see what the autoscaler sees. */
export function autoscalerMetricProblems(autoscalingYaml: string, expressions: readonly string[]): string[] {
  return autoscalerPodsMetrics(autoscalingYaml)
    .filter((name) => !expressions.some((expr) => new RegExp(`\\b${name}\\b`).test(expr)))
    .map((name) => `the autoscaling metric ${name} is on no dashboard in deploy/grafana`);
}
