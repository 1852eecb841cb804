/**
 * The Grafana dashboards of deploy/grafana: kustomize reads only the files
 * its configMapGenerator lists, so every *.json there must be listed (and
 * every listed file must exist).
 */
import { parse } from 'yaml';

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
