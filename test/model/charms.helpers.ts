// Loads the charm fixtures (test/fixtures/charms/<name>/): charmcraft.yaml, or config.yaml + metadata.yaml.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCharm } from '../../server/src/parse/charm';
import { parseYamlFile } from '../../server/src/parse/yaml';
import type { CharmModel } from '../../server/src/parse/envTypes';

export const CHARMS = path.join(__dirname, '..', 'fixtures', 'charms');

const FILES = [
  ['charmcraft.yaml', 'charmcraft'],
  ['config.yaml', 'config'],
  ['metadata.yaml', 'metadata'],
] as const;

export function loadCharm(name: string): CharmModel[] {
  const out: CharmModel[] = [];
  for (const [file, which] of FILES) {
    const p = path.join(CHARMS, name, file);
    if (existsSync(p)) out.push(parseCharm(parseYamlFile(readFileSync(p, 'utf8')), `file:///charms/${name}/${file}`, which));
  }
  if (out.length === 0) throw new Error(`no charm files in ${name}`);
  return out;
}

/** A charm from inline charmcraft.yaml text. */
export function charmOf(text: string, uri = 'file:///charm/charmcraft.yaml'): CharmModel {
  return parseCharm(parseYamlFile(text), uri, 'charmcraft');
}

/** A readable, stable summary of a CharmEnvironment (what the variables.expected.json files hold). */
export function summary(env: import('../../server/src/model/paasCharm').CharmEnvironment): unknown {
  const rr = (x: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}`;
  const file = (u: string) => u.slice(u.lastIndexOf('/') + 1);
  return {
    framework: env.framework ?? null,
    frameworkFrom: env.frameworkFrom ?? null,
    complete: env.complete,
    provided: env.provided.map((p) =>
      [
        p.name + (p.family ? '<KEY>' : ''),
        p.charm.kind,
        p.charm.availability,
        p.charm.option ?? p.charm.endpoint ?? p.charm.setting ?? '',
        p.value === undefined ? '-' : p.value === null ? '<run time>' : p.value,
        [p.sensitive ? 'sensitive' : '', p.userDefined ? 'user' : '', p.charm.required ? 'required' : '', p.charm.jsonEncoded ? 'json' : '', p.charm.injected ? 'injected' : ''].filter(Boolean).join(' '),
        `${file(p.uri)}@${rr(p.range)}`,
      ].join(' | '),
    ),
    skipped: env.skipped.map((s) => `${s.option} (${s.reason}) @${rr(s.range)}: ${s.message}`),
    collisions: env.collisions.map((c) => `${c.name}: ${c.message}`),
    notes: env.notes.map((n) => `${n.code} @${file(n.uri)}:${rr(n.range)}: ${n.message}`),
  };
}
