import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardListProblems } from './dashboards';
import { readWorkspaceFile, workspaceRoot } from './workspace';

describe('the Grafana dashboards in deploy/grafana', () => {
  it('are all listed in the ConfigMap generator', () => {
    const files = readdirSync(join(workspaceRoot, 'deploy', 'grafana')).filter((file) => file.endsWith('.json'));
    expect(dashboardListProblems(readWorkspaceFile('deploy/grafana/kustomization.yaml'), files)).toEqual([]);
  });

  it('reports an unlisted dashboard and a listed file that is missing', () => {
    const yaml = 'configMapGenerator:\n  - name: mail-grafana-dashboards\n    files:\n      - mail.json\n      - flow=gone.json\n';
    expect(dashboardListProblems(yaml, ['mail.json', 'new.json'])).toEqual([expect.stringMatching(/new\.json is not listed/), expect.stringMatching(/lists gone\.json, which does not exist/)]);
  });
});
