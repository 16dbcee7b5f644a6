// Regenerates package.json's `orchard.severity` properties from the rule table (ALL_RULES), so the
// settings editor completes every rule code with its default. Run: node --import tsx scripts/sync-manifest.ts
// The manifest test fails when package.json and the rules disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleDocs } from '../server/src/analysis/index';

const path = join(__dirname, '..', 'package.json');
const pkg = JSON.parse(readFileSync(path, 'utf8'));
const props: Record<string, unknown> = {};
for (const r of ruleDocs()) {
  props[r.code] = {
    type: 'string',
    enum: ['error', 'warning', 'info', 'hint', 'off'],
    default: r.defaultSeverity,
    description: r.description + (r.needsBackend ? ' (needs a parameter store)' : ''),
  };
}
pkg.contributes.configuration.properties['orchard.severity'].properties = props;
writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n');
console.log(`orchard.severity: ${Object.keys(props).length} rules`);
