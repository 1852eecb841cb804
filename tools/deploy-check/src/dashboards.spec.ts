import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoscalerMetricProblems, dashboardExpressions, dashboardListProblems } from './dashboards';
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

  it('show the metrics the autoscalers scale on (mail_smtp_sessions_active, mail_imap_sessions_active)', () => {
    const dir = join(workspaceRoot, 'deploy', 'grafana');
    const expressions = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .flatMap((file) => dashboardExpressions(readWorkspaceFile(`deploy/grafana/${file}`)));
    const autoscaling = readWorkspaceFile('deploy/kubernetes/base/autoscaling.yaml');
    expect(autoscaling).toContain('mail_smtp_sessions_active');
    expect(autoscaling).toContain('mail_imap_sessions_active');
    expect(autoscalerMetricProblems(autoscaling, expressions)).toEqual([]);
    expect(autoscalerMetricProblems(autoscaling, ['sum(rate(mail_smtp_connections_total[5m]))', 'sum(mail_imap_sessions_active)'])).toEqual([
      'the autoscaling metric mail_smtp_sessions_active is on no dashboard in deploy/grafana',
    ]);
  });
});
