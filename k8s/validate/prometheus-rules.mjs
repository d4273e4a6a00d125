// Prints the rule groups of a PrometheusRule (the Prometheus Operator's) as a plain Prometheus rules
// file, which promtool checks and tests (.ci/check-monitoring).
//
//   node prometheus-rules.mjs < ../monitoring/errand-alerts.yaml > errand-alerts.rules.yaml
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const rule = parse(readFileSync(0, 'utf8'));
if (rule?.kind !== 'PrometheusRule' || !Array.isArray(rule.spec?.groups)) {
  console.error('not a PrometheusRule with spec.groups');
  process.exit(1);
}
process.stdout.write(stringify({ groups: rule.spec.groups }));
