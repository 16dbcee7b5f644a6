// figgy-secrets.json (a secret owner's replication file) → SecretsJsonModel. Never throws.
// Only `replicate_figs` matters to figgy-cli (`config sync --replication-only`); `${VAR}` templates are
// asked for interactively and substituted before anything is written.
import { parseReplication } from './figgyJson';
import { dedupeProps, objectProps, readJsonDocument, typeName, nodeRange } from './jsonDoc';
import type { ParseError, SecretsJsonModel } from './types';

// figgy-cli uses Python's `\${(\w+)}`; Python 3's \w is Unicode-aware, hence \p{L}\p{N}.
const VAR_RE = /\$\{([\p{L}\p{N}_]+)\}/gu;

function varsIn(s: string): string[] {
  return [...s.matchAll(VAR_RE)].map((m) => m[1]);
}

export function parseSecretsJson(text: string, uri: string): SecretsJsonModel {
  const model: SecretsJsonModel = { uri, replicateFigs: [], variables: [], errors: [] };
  try {
    fill(model, text);
  } catch (e) {
    model.errors.push({
      code: 'json-internal',
      message: `internal error while reading figgy-secrets.json: ${(e as Error)?.message ?? 'unknown'}`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 'error',
    });
  }
  return model;
}

function fill(model: SecretsJsonModel, text: string): void {
  const doc = readJsonDocument(text, 'figgy-secrets.json', model.uri);
  const errors: ParseError[] = model.errors;
  errors.push(...doc.errors);
  const root = doc.root;
  if (!root) return;
  if (root.type !== 'object') {
    errors.push({ code: 'json-type', message: `figgy-secrets.json must contain a JSON object, not ${typeName(root)}`, range: nodeRange(doc, root), severity: 'error' });
    return;
  }
  const all = objectProps(root);
  for (const p of all) {
    if (p.key !== 'replicate_figs') {
      errors.push({
        code: 'json-unknown-key',
        message: `"${p.key}" is ignored in figgy-secrets.json; figgy-cli reads only "replicate_figs" from a replication file`,
        range: nodeRange(doc, p.keyNode),
        severity: 'warning',
      });
    }
  }
  const props = dedupeProps(doc, all.filter((p) => p.key === 'replicate_figs'), (k) => k, 'figgy-secrets.json', errors);
  const rf = props.get('replicate_figs');
  if (!rf) {
    errors.push({
      code: 'json-missing-key',
      message: 'figgy-secrets.json has no "replicate_figs"; figgy-cli rejects a replication file without it',
      range: doc.idx.rangeAt(root.offset, 1),
      severity: 'error',
    });
    return;
  }
  model.replicateFigs = parseReplication(doc, rf.value, 'replicate_figs', errors);

  const seen = new Set<string>();
  const inSources = new Set<string>();
  for (const r of model.replicateFigs) {
    for (const v of varsIn(r.source.value)) inSources.add(v);
    for (const v of [...varsIn(r.source.value), ...varsIn(r.dest.value)]) {
      if (!seen.has(v)) {
        seen.add(v);
        model.variables.push(v);
      }
    }
  }
  // Sync._validate_replication_config(app_conf=False): every destination must match `^/app/.*$` (the
  // default service namespace), or `figgy config sync --replication-only` stops before doing anything.
  for (const r of model.replicateFigs) {
    if (!/^\/app\//.test(r.dest.value)) {
      errors.push({
        code: 'json-secrets-destination',
        message: `destination ${r.dest.value} does not begin with /app/: figgy-cli's sync --replication-only rejects the file ("The DESTINATION of your replication configs must always begin with /app/")`,
        range: r.dest.range,
        severity: 'error',
      });
    }
  }
  // figgy-cli collects variables from the sources only, so one used only in destinations is never asked
  // for and would be written literally.
  for (const r of model.replicateFigs) {
    for (const v of new Set(varsIn(r.dest.value))) {
      if (!inSources.has(v)) {
        errors.push({
          code: 'json-secrets-unasked-var',
          message: `\${${v}} appears only in destinations; figgy-cli asks for variables found in sources only, so it would stay as literal text`,
          range: r.dest.range,
          severity: 'warning',
        });
      }
    }
  }
}
