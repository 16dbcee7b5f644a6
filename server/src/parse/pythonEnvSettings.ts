// pydantic-settings: BaseSettings subclasses (v2 `pydantic_settings`, v1 `pydantic`) and the
// variables their fields read. Field name or alias / validation_alias / AliasChoices / AliasPath (v1:
// `Field(env=...)`), env_prefix (on field names only unless env_prefix_target says otherwise),
// case-insensitive by default, env_nested_delimiter for nested models, required = no default,
// SecretStr / SecretBytes fields are secret. Config from `model_config = SettingsConfigDict(...)`,
// a plain dict, class keywords or an inner `class Config:`; inherited between classes of a module.
import type { EnvName, ValueParse } from './envTypes';
import type { Range } from './types';
import type { SNode } from './pythonNode';
import { arg, argsOf, defaultOf, emitRead, type Args, type Walker } from './pythonEnvCtx';
import { evalName, kids, literalString, prefixed, unparen, type NameValue } from './pythonEnvNames';
import { nameLookup, resolve, type FieldInfo, type ModelClass, type Scope, type SettingsConfig } from './pythonEnvScope';


/** What a class's bases make of it: a pydantic model (settings or not), or nothing. */
export function modelClassFor(scope: Scope, name: string, supers: SNode | undefined, w: Walker): ModelClass | undefined {
  if (!supers) return undefined;
  let model = false;
  let settings = false;
  let v1 = false;
  let tentative: string | undefined;
  let definite = false;
  const parents: ModelClass[] = [];
  const keywords: SNode[] = [];
  for (const b of kids(supers)) {
    if (b.type === 'keyword_argument') {
      keywords.push(b);
      continue;
    }
    const r = resolve(scope, b);
    if (r?.k === 'pydantic' && (r.what === 'BaseSettings' || r.what === 'BaseModel')) {
      model = true;
      if (r.what === 'BaseSettings') {
        settings = definite = true;
        v1 ||= r.v1;
      }
    } else if (r?.k === 'model-class') {
      model = true;
      parents.push(r.cls);
      settings ||= r.cls.settings;
      definite ||= r.cls.settings && !r.cls.tentative;
      tentative ??= r.cls.tentative;
      v1 ||= r.cls.v1;
    } else if (isImportedSettings(scope, b)) {
      // `class AppSettings(BaseAppSettings)`, the base imported from another module of the project.
      model = settings = true;
      tentative ??= b.text;
    }
  }
  if (!model) return undefined;
  const config: SettingsConfig = {};
  for (const p of parents) Object.assign(config, p.config);
  const cls: ModelClass = { name, settings, v1, fields: [], config, parents };
  if (tentative && !definite) cls.tentative = tentative;
  for (const k of keywords) {
    const key = k.childForFieldName('name')?.text;
    const v = k.childForFieldName('value');
    if (key && v) configEntry(w, scope, cls, key, v);
  }
  return cls;
}

/** A base named `…Settings` that an import binds (`BaseAppSettings`, `base.BaseAppSettings`): only the model can say what it is. */
function isImportedSettings(scope: Scope, b: SNode): boolean {
  if (b.type !== 'identifier' && b.type !== 'attribute') return false;
  if (!/^[A-Za-z_][\w.]*Settings$/.test(b.text)) return false;
  const head = scope.lookup(b.text.split('.')[0]);
  return head?.k === 'import' || head?.k === 'module';
}

/** One entry of a settings config (`env_prefix="APP_"`, `case_sensitive=True`, ...). */
export function configEntry(w: Walker, scope: Scope, cls: ModelClass, key: string, v: SNode): void {
  const u = unparen(v);
  switch (key) {
    case 'env_prefix':
      cls.config.prefix = { value: evalName(u, nameLookup(scope)) };
      break;
    case 'case_sensitive':
      if (u.type === 'true' || u.type === 'false') cls.config.caseSensitive = u.type === 'true';
      break;
    case 'env_nested_delimiter': {
      const s = literalString(u);
      cls.config.nestedDelimiter = s || undefined;
      break;
    }
    case 'env_prefix_target': {
      const s = literalString(u);
      if (s === 'variable' || s === 'alias' || s === 'all') cls.config.prefixTarget = s;
      break;
    }
    case 'secrets_dir':
      // `secrets_dir="/run/secrets"` (or computed): a field's value may be a file there, so none is required.
      cls.config.secretsDir = u.type !== 'none';
      break;
    case 'env_file': {
      if (!cls.settings || cls.tentative) break;
      const files = u.type === 'tuple' || u.type === 'list' ? kids(u) : [u];
      for (const f of files) {
        const path = literalString(f);
        if (path !== undefined) w.push('loadsDotenv', { range: w.range(f), path });
        else if (f.type !== 'none') w.push('loadsDotenv', { range: w.range(f) });
      }
      break;
    }
  }
}

/** `model_config = SettingsConfigDict(...)` / `ConfigDict(...)` / `{...}`. */
function modelConfig(w: Walker, scope: Scope, cls: ModelClass, value: SNode): void {
  const u = unparen(value);
  if (u.type === 'call') {
    for (const c of argsOf(u).all) {
      const k = c.type === 'keyword_argument' ? c.childForFieldName('name')?.text : undefined;
      const v = c.type === 'keyword_argument' ? c.childForFieldName('value') : null;
      if (k && v) configEntry(w, scope, cls, k, v);
    }
  } else if (u.type === 'dictionary') {
    for (const pair of kids(u)) {
      if (pair.type !== 'pair') continue;
      const k = pair.childForFieldName('key');
      const v = pair.childForFieldName('value');
      const key = k ? literalString(k) : undefined;
      if (key && v) configEntry(w, scope, cls, key, v);
    }
  }
}

/** An inner `class Config:` statement (v1 style): `env_prefix = "APP_"`. */
export function configClassStatement(w: Walker, scope: Scope, cls: ModelClass, stmt: SNode): void {
  for (const a of kids(stmt)) {
    if (a.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type === 'identifier' && right) configEntry(w, scope, cls, left.text, right);
  }
}

/** A class-body statement of a model class: a field or model_config. False when it is neither. */
export function modelStatement(w: Walker, scope: Scope, cls: ModelClass, stmt: SNode): boolean {
  if (stmt.type !== 'expression_statement') return false;
  const a = kids(stmt)[0];
  if (!a || a.type !== 'assignment') return false;
  const left = a.childForFieldName('left');
  if (left?.type !== 'identifier') return false;
  const right = a.childForFieldName('right') ?? undefined;
  if (left.text === 'model_config' && right) {
    modelConfig(w, scope, cls, right);
    return true;
  }
  const type = a.childForFieldName('type');
  if (!type) return false;
  const name = left.text;
  if (name.startsWith('_') || /^(?:typing\.)?ClassVar\b/.test(type.text)) return true;
  cls.fields.push(field(w, scope, cls, name, left, type, right, stmt));
  return true;
}

function field(w: Walker, scope: Scope, cls: ModelClass, name: string, nameNode: SNode, type: SNode, value: SNode | undefined, stmt: SNode): FieldInfo {
  const t = fieldType(scope, type);
  const f: FieldInfo = {
    className: cls.name,
    name,
    nameRange: w.range(nameNode),
    range: w.range(stmt),
    parse: t.parse,
    secretType: t.secret,
    optionalType: t.optional,
    required: true,
  };
  if (t.nested) f.nestedClass = t.nested;
  const v = value ? unparen(value) : undefined;
  const fieldCall = v && v.type === 'call' && resolve(scope, v.childForFieldName('function'))?.k === 'pydantic' ? v : undefined;
  const what = fieldCall ? (resolve(scope, fieldCall.childForFieldName('function')) as { what: string }).what : undefined;
  if (fieldCall && what === 'Field') {
    const a = argsOf(fieldCall);
    const def = arg(a, 0, 'default');
    if (def && def.type !== 'ellipsis') {
      f.required = false;
      f.default = secretDefault(w, scope, def);
    } else if (a.kw.has('default_factory')) {
      f.required = false;
      f.default = defaultOf(w, a.kw.get('default_factory')!);
      delete f.default.value;
    }
    const alias = a.kw.get('validation_alias') ?? a.kw.get('alias');
    if (alias) f.aliases = aliasNodes(scope, alias).map((node) => ({ node, kind: 'alias' as const }));
    const env = a.kw.get('env');
    if (env && (cls.v1 || cls.tentative)) {
      const u = unparen(env);
      f.aliases = (u.type === 'list' || u.type === 'tuple' || u.type === 'set' ? kids(u) : [u]).map((node) => ({ node, kind: 'env' as const }));
    }
  } else if (v) {
    f.required = false;
    f.default = secretDefault(w, scope, v);
  }
  if (!v && (cls.v1 || cls.tentative) && t.optional) f.required = false;
  return f;
}

/** A default; `SecretStr("x")` keeps its literal as the value (insecure-default checks need it). */
function secretDefault(w: Walker, scope: Scope, n: SNode): NonNullable<FieldInfo['default']> {
  const d = defaultOf(w, n);
  const u = unparen(n);
  if (u.type === 'call' && resolve(scope, u.childForFieldName('function'))?.k === 'pydantic') {
    const first = argsOf(u).pos[0];
    const s = first ? literalString(first) : undefined;
    if (s !== undefined) d.value = s;
  }
  return d;
}

function aliasNodes(scope: Scope, n: SNode): SNode[] {
  const u = unparen(n);
  if (u.type === 'call') {
    const r = resolve(scope, u.childForFieldName('function'));
    const a = argsOf(u);
    if (r?.k === 'pydantic' && r.what === 'AliasChoices') return a.pos.flatMap((p) => aliasNodes(scope, p));
    if (r?.k === 'pydantic' && r.what === 'AliasPath') return a.pos.length ? [a.pos[0]] : [];
    return [];
  }
  return [u];
}

const SCALARS: Record<string, ValueParse> = {
  str: 'str', int: 'int', float: 'float', bool: 'bool', Decimal: 'float', bytes: 'str', Path: 'path', FilePath: 'path', DirectoryPath: 'path',
  NewPath: 'path', PositiveInt: 'int', NegativeInt: 'int', NonNegativeInt: 'int', PositiveFloat: 'float', StrictStr: 'str', StrictInt: 'int', StrictBool: 'bool',
  EmailStr: 'str', UUID: 'str', UUID4: 'str', IPvAnyAddress: 'str', SecretStr: 'str', SecretBytes: 'str',
};
const COMPLEX = /^(?:list|List|set|Set|frozenset|FrozenSet|tuple|Tuple|dict|Dict|Sequence|Mapping|Json)$/;

/** What a field's annotation makes of the variable's text. */
function fieldType(scope: Scope, type: SNode): { parse: ValueParse; secret: boolean; optional: boolean; nested?: string } {
  let text = type.text.replace(/\s+/g, '');
  let optional = false;
  for (let i = 0; i < 5; i++) {
    const m = /^(?:typing\.)?(?:Optional|Annotated)\[(.*)\]$/.exec(text);
    if (m) {
      if (text.includes('Optional[')) optional = true;
      text = splitTop(m[1])[0];
      continue;
    }
    const parts = splitTop(text, '|');
    if (parts.length > 1) {
      optional ||= parts.includes('None');
      const rest = parts.filter((p) => p !== 'None');
      text = rest.length === 1 ? rest[0] : text;
      if (rest.length === 1) continue;
    }
    if (/^(?:typing\.)?Union\[/.test(text)) {
      const inner = splitTop(text.slice(text.indexOf('[') + 1, -1));
      optional ||= inner.includes('None');
      const rest = inner.filter((p) => p !== 'None');
      if (rest.length === 1) {
        text = rest[0];
        continue;
      }
    }
    break;
  }
  const head = text.split('[')[0].split('.').pop() ?? '';
  const secret = head === 'SecretStr' || head === 'SecretBytes';
  if (SCALARS[head]) return { parse: SCALARS[head], secret, optional };
  if (/Url$|Dsn$/.test(head)) return { parse: 'url', secret, optional };
  if (COMPLEX.test(head)) return { parse: 'json', secret, optional };
  if (head === 'Literal') return { parse: 'str', secret, optional };
  const b = scope.lookup(head);
  if (b?.k === 'model-class') return { parse: 'json', secret, optional, nested: head };
  return { parse: 'unknown', secret, optional };
}

/** Splits `a,b[c,d],e` at top-level separators. */
function splitTop(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Every field a class has, parents first (a field redefined later replaces the earlier one). */
function allFields(cls: ModelClass, depth = 0): Map<string, { f: FieldInfo; owner: ModelClass }> {
  const out = new Map<string, { f: FieldInfo; owner: ModelClass }>();
  if (depth > 20) return out;
  for (const p of cls.parents) for (const [k, v] of allFields(p, depth + 1)) out.set(k, v);
  for (const f of cls.fields) out.set(f.name, { f, owner: cls });
  return out;
}

/**
 * A call of a settings class in this module that passes fields in (`AppSettings(SECRET=s)`, or
 * `AppSettings(**values)`, which may pass any): the reads of those fields made so far (by the class
 * and the classes it inherits from) are not required, since that instance does not need them set.
 * Conservative: another instance built without them would fail, but what is passed is known only
 * at run time. Never replayed (pythonEnvReplay): the reads it changes belong to other statements.
 */
export function passedToConstructor(w: Walker, cls: ModelClass, a: Args, call: SNode): void {
  if (!cls.settings) return;
  const named = a.kwNames.filter((k) => !k.startsWith('_'));
  if (!a.splat && named.length === 0) return;
  const fields = allFields(cls);
  const owners = new Set([cls.name, ...[...fields.values()].map((x) => x.owner.name)]);
  const passed = (field: string): boolean => {
    if (a.splat) return true;
    const f = fields.get(field)?.f;
    return named.includes(field) || (f?.aliases ?? []).some((al) => named.includes(literalString(al.node) ?? ''));
  };
  let range: Range | undefined;
  // (A tentative class's reads wait apart for the model: pythonEnv.ts settingsReads.)
  const reads = cls.tentative ? (w.facts.tentativeReads ?? []).flatMap((g) => g.reads) : w.facts.reads;
  for (const r of reads) {
    if (!r.required || !r.field || !owners.has(r.field.className) || !fields.has(r.field.field) || !passed(r.field.field)) continue;
    r.required = false;
    delete r.requiredWhen;
    r.passedIn = range ??= w.range(call);
  }
  if (range && w.rec) w.rec.bad = true;
}

/** The reads of a settings class: its own fields, and inherited ones when its config renames them. */
export function emitSettingsReads(w: Walker, scope: Scope, cls: ModelClass): void {
  if (!cls.settings) return;
  for (const { f, owner } of allFields(cls).values()) {
    const names = fieldNames(w, scope, cls.config, f);
    // An inherited field is read again only when this class's config renames it.
    if (owner !== cls && owner.settings && JSON.stringify(fieldNames(w, scope, owner.config, f)) === JSON.stringify(names)) continue;
    emitField(w, scope, cls, f, names);
  }
}

/** The variables a field is read from under a config. */
function fieldNames(w: Walker, scope: Scope, cfg: SettingsConfig, f: FieldInfo): { value: NameValue; range: Range }[] {
  const target = cfg.prefixTarget ?? 'variable';
  const prefix: NameValue = cfg.prefix?.value ?? { kind: 'static', value: '', isStr: true };
  const lookup = nameLookup(scope);
  const names: { value: NameValue; range: Range }[] = [];
  if (f.aliases?.length) {
    for (const a of f.aliases) {
      const v = evalName(a.node, lookup);
      names.push({ value: a.kind === 'alias' && target !== 'variable' ? prefixed(prefix, v) : v, range: w.range(a.node) });
    }
  } else {
    // Matched regardless of case (pydantic-settings' default), a name is said as it is set: upper
    // case (`env_prefix="bot_"` before `token`: BOT_TOKEN; `polar_` before `OAUTH2_KEY`: POLAR_OAUTH2_KEY).
    const upper = !cfg.caseSensitive && (target === 'alias' || prefix.kind === 'static');
    const v: NameValue = { kind: 'static', value: upper ? f.name.toUpperCase() : f.name, isStr: true };
    const p = upper && prefix.kind === 'static' ? { ...prefix, value: prefix.value.toUpperCase() } : prefix;
    names.push({ value: target === 'alias' ? v : prefixed(p, v), range: f.nameRange });
  }
  return names;
}

function emitField(w: Walker, scope: Scope, cls: ModelClass, f: FieldInfo, names: { value: NameValue; range: Range }[]): void {
  const cfg = cls.config;
  const caseInsensitive = !cfg.caseSensitive;
  const fieldMeta = { className: cls.name, field: f.name, secretType: f.secretType };
  const nested = nestedNames(scope, f, cfg.nestedDelimiter, names, caseInsensitive);
  const emitted: EnvName[] = [];
  for (const n of names) {
    const others = names.filter((o) => o !== n).map((o) => staticName(o.value, o.range)).filter((x): x is EnvName => !!x);
    const alternatives = [...others, ...nested.map((s) => s.name)];
    const name = emitRead(w, scope, {
      value: n.value,
      nameRange: n.range,
      range: f.range,
      via: 'pydantic',
      required: f.required && !cfg.secretsDir,
      default: f.default,
      parse: f.parse,
      caseInsensitive,
      field: fieldMeta,
      alternatives,
    });
    if (name) emitted.push(name);
  }
  for (const s of nested) {
    emitRead(w, scope, {
      value: { kind: 'static', value: s.name.name!, isStr: true },
      nameRange: s.name.range,
      range: f.range,
      via: 'pydantic',
      required: false,
      parse: s.field.parse,
      caseInsensitive,
      field: { className: s.field.className, field: s.field.name, secretType: s.field.secretType },
      alternatives: emitted,
    });
  }
}

function staticName(v: NameValue, range: Range): EnvName | undefined {
  if (v.kind === 'static') return { name: v.value, range };
  if (v.kind === 'parts' && !v.parts.some((p) => p.kind === 'param')) return { parts: v.parts as EnvName['parts'], range };
  return undefined;
}

/** `DB__HOST` for field `db: Database` with env_nested_delimiter `__` (one level per nested model, up to 3). */
function nestedNames(scope: Scope, f: FieldInfo, delim: string | undefined, bases: { value: NameValue; range: Range }[], upper: boolean): { name: EnvName; field: FieldInfo }[] {
  const out: { name: EnvName; field: FieldInfo }[] = [];
  if (!delim || !f.nestedClass) return out;
  const walk = (cls: ModelClass, base: string, range: Range, depth: number) => {
    if (depth > 3) return;
    for (const { f: sub } of allFields(cls).values()) {
      const name = base + delim + (upper ? sub.name.toUpperCase() : sub.name);
      out.push({ name: { name, range }, field: sub });
      const b = sub.nestedClass ? scope.lookup(sub.nestedClass) : undefined;
      if (b?.k === 'model-class') walk(b.cls, name, range, depth + 1);
    }
  };
  const b = scope.lookup(f.nestedClass);
  if (b?.k !== 'model-class') return out;
  for (const base of bases) if (base.value.kind === 'static') walk(b.cls, base.value.value, base.range, 1);
  return out;
}

/**
 * A settings class's reads, and at module level what importers see of it (PySettingsClass). The
 * reads of a class whose settings base is imported (ModelClass.tentative) are kept apart, for the
 * model to confirm.
 */
export function settingsReads(w: Walker, scope: Scope, cscope: Scope, model: ModelClass): void {
  const reads = w.facts.reads.length;
  const dynamic = w.facts.dynamicReads.length;
  emitSettingsReads(w, cscope, model);
  if (model.settings && model.name && scope.kind === 'module') {
    const p = model.config.prefix?.value;
    const prefix = p?.kind === 'static' ? p.value : undefined;
    (w.facts.settingsClasses ??= []).push({ name: model.name, ...(prefix !== undefined ? { prefix } : {}), ...(model.tentative ? { tentative: model.tentative } : {}) });
  }
  if (!model.tentative) return;
  const own = w.facts.reads.splice(reads);
  const dyn = w.facts.dynamicReads.splice(dynamic);
  if (own.length || dyn.length) (w.facts.tentativeReads ??= []).push({ base: model.tentative, ownPrefix: model.config.prefix !== undefined && !inheritedPrefix(model), reads: own, dynamic: dyn });
}

/** The class's prefix is its parents' (in this module), not set by its own config. */
function inheritedPrefix(model: ModelClass): boolean {
  return model.parents.some((p) => p.config.prefix === model.config.prefix);
}
