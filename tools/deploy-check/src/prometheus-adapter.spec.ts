import { describe, expect, it } from 'vitest';
import { adapterRuleProblems, autoscalerPodsMetrics } from './prometheus-adapter';
import { readWorkspaceFile } from './workspace';

const autoscaling = readWorkspaceFile('deploy/kubernetes/base/autoscaling.yaml');

describe('prometheus-adapter in deploy/dependencies', () => {
  it('serves every Pods metric the autoscalers scale on (SMTP and IMAP sessions)', () => {
    expect(autoscalerPodsMetrics(autoscaling).sort()).toEqual(['mail_imap_sessions_active', 'mail_smtp_sessions_active']);
    expect(adapterRuleProblems(readWorkspaceFile('deploy/dependencies/prometheus-adapter.values.yaml'), autoscaling)).toEqual([]);
  });

  it('finds a metric without a rule, a rule on another series, and one without the pod mapping', () => {
    const rule = (name: string, series: string, pod = 'pod') =>
      `    - seriesQuery: '${series}{namespace!="",pod!=""}'\n      resources:\n        overrides:\n          namespace: { resource: namespace }\n          pod: { resource: ${pod} }\n      name:\n        as: ${name}\n`;
    const hpa = (metric: string) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  metrics:\n    - type: Pods\n      pods:\n        metric:\n          name: ${metric}\n`;
    const values = `rules:\n  custom:\n${rule('b_sessions', 'b_connections')}${rule('c_sessions', 'c_sessions', 'node')}`;
    expect(adapterRuleProblems(values, [hpa('a_sessions'), hpa('b_sessions'), hpa('c_sessions')].join('---\n'))).toEqual([
      'prometheus-adapter has no custom rule serving a_sessions, which an HPA scales on',
      'the prometheus-adapter rule b_sessions reads b_connections{namespace!="",pod!=""}, not the gauge b_sessions',
      'the prometheus-adapter rule c_sessions does not map the namespace and pod labels to their resources',
    ]);
  });
});
