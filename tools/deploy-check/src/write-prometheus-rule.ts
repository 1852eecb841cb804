/**
 * Writes deploy/prometheus/prometheus-rule.yaml from deploy/prometheus/alerts.yaml:
 *   node --import tsx tools/deploy-check/src/write-prometheus-rule.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertRulesPath, prometheusRuleFor, prometheusRulePath } from './prometheus-rule';
import { readWorkspaceFile, workspaceRoot } from './workspace';

writeFileSync(join(workspaceRoot, prometheusRulePath), prometheusRuleFor(readWorkspaceFile(alertRulesPath)));
console.log(`wrote ${prometheusRulePath}`);
