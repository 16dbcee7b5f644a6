import { ALL_RULES } from '../analysis/index';
import { makePaint, table } from './format';

export function runRulesList(): number {
  const rows = [['code', 'default', 'needs backend', 'description'], ...ALL_RULES.map((r) => [r.code, r.defaultSeverity, r.needsBackend ? 'yes' : 'no', r.description])];
  process.stdout.write(table(rows, makePaint(process.stdout)) + '\n');
  return 0;
}
