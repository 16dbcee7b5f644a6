// Fixes of plaintext credentials: move the value into a parameter store and put the reference the
// file's world uses in its place (GitHub `${{ secrets.X }}`, a CI project variable, `os.environ`...),
// or mark the line allowed. The move itself runs in the server (`orchard/credential/move`): the
// value never travels to the client. Pure: the edit and the hint are computed from text + finding.
import type { Finding } from '../../analysis/types';
import type { CredentialFinding } from '../../parse/envTypes';
import type { Range } from '../../parse/types';
import { fileNameOf } from '../../model/uris';
import type { CodeActionPlain, FeatureContext, TextEdit } from '../types';
import { offsetAt, positionAt } from '../positions';
import { hclUnescape } from '../../parse/hclNodes';
import { ClientCommands, type MoveCredentialCommandArgs } from '../commands';
import { findNodeAtLocation, getLocation, parseTree } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';
import { jsonEntryInsert } from '../../parse/jsonDoc';
import { isContainerTemplateName, slotsAsJson, templateSlots } from '../../parse/ecsTaskDef';
import { parseTerraform } from '../../parse/terraform';

/** The variable name a credential moves under: its key in UPPER_SNAKE, else the detector's. */
export function credentialName(keyName: string | undefined, detector: string): string {
  const raw = keyName && /[A-Za-z]/.test(keyName) ? keyName : detector;
  const n = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[0-9]/.test(n) ? `_${n}` : n || 'SECRET';
}

/** Where a moved credential is suggested to live (the user confirms or edits it). */
export function suggestedPath(rootUri: string | undefined, name: string): string {
  const folder = rootUri ? fileNameOf(rootUri.replace(/\/+$/, '')) : '';
  const ns = folder.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'workspace';
  return `/ci/${ns}/${name.toLowerCase()}`;
}

/** What replaces the value, by the file's world. */
export interface ReferencePlan {
  /**
   * `replace`: the value (with its quotes when `code`) becomes `text`; `delete-line`: the entry goes;
   * `empty`: the value goes; `ecs-secret`: an ECS container's `environment` item becomes a `secrets`
   * item of the same name whose `valueFrom` is the parameter (`text`); `terraform-ssm`: the quoted
   * value becomes a `data "aws_ssm_parameter"` source's value, the source (named from `text`,
   * reading the parameter `path`) added at the end of the file.
   */
  action: 'replace' | 'delete-line' | 'empty' | 'ecs-secret' | 'terraform-ssm';
  text?: string;
  /** The parameter's path, for an edit that names it (`terraform-ssm`). */
  path?: string;
  /** The replacement is an expression of the language: quotes around the value go too. */
  code?: boolean;
  /** One sentence saying how the CI or runtime gets the value now (commands included). */
  hint: string;
  /** Short label for the action title ("a GitHub secret reference"). */
  label: string;
}

function getCmd(path: string, env: string): string {
  return `orchard get ${path} --env ${env} --reveal`;
}

/** The reference the file's world uses for a credential at `context` moved to `path` in `env`. */
export function referencePlan(context: string, uri: string, name: string, path: string, env: string): ReferencePlan {
  const fetch = `"$(${getCmd(path, env)})"`;
  if (context.startsWith('github')) {
    return {
      action: 'replace',
      text: `\${{ secrets.${name} }}`,
      hint: `Add the repository secret: gh secret set ${name} --body ${fetch}`,
      label: `\${{ secrets.${name} }}`,
    };
  }
  if (context.startsWith('travis')) {
    const inEnv = context.startsWith('travis-env');
    return {
      action: inEnv ? 'delete-line' : 'replace',
      text: `$${name}`,
      hint: `Add it encrypted: travis encrypt ${name}=${fetch} --add env.global`,
      label: inEnv ? 'travis encrypt (entry removed)' : `$${name}`,
    };
  }
  if (context.startsWith('circleci')) {
    const env_ = context === 'circleci-environment' || context === 'circleci-docker-environment';
    return {
      action: env_ ? 'delete-line' : 'replace',
      text: `$${name}`,
      hint: `Add ${name} as a CircleCI project environment variable or to a context (circleci context store-secret <vcs> <org> <context> ${name}), value from: ${getCmd(path, env)}`,
      label: env_ ? 'a CircleCI project variable (entry removed)' : `$${name}`,
    };
  }
  if (context.startsWith('gitlab')) {
    const vars = context === 'gitlab-variables';
    return {
      action: vars ? 'delete-line' : 'replace',
      text: `$${name}`,
      hint: `Add a masked CI/CD variable: glab variable set ${name} --masked --value ${fetch}`,
      label: vars ? 'a GitLab CI/CD variable (entry removed)' : `$${name}`,
    };
  }
  if (context.startsWith('bitbucket')) {
    return { action: 'replace', text: `$${name}`, hint: `Add ${name} as a secured repository variable (Repository settings → Pipelines → Repository variables), value from: ${getCmd(path, env)}`, label: `$${name}` };
  }
  if (context.startsWith('codebuild')) {
    return { action: 'delete-line', hint: `Read it from the store in buildspec.yml: env: parameter-store: ${name}: ${path}`, label: 'a CodeBuild parameter-store entry (entry removed)' };
  }
  if (context === 'jenkinsfile') {
    return { action: 'replace', text: `credentials('${name.toLowerCase()}')`, code: true, hint: `Add a Jenkins secret-text credential with id ${name.toLowerCase()}, value from: ${getCmd(path, env)}`, label: `credentials('${name.toLowerCase()}')` };
  }
  if (context === 'dotenv') {
    return { action: 'empty', hint: `${name} stays declared without a value; set it from the store: export ${name}=${fetch}`, label: 'an empty value' };
  }
  if (context === 'compose-environment' || context === 'compose') {
    return { action: 'replace', text: `\${${name}}`, hint: `Compose reads ${name} from the shell or the .env beside it: export ${name}=${fetch}`, label: `\${${name}}` };
  }
  if (context === 'ecs-environment') {
    // ECS fills `secrets` in from SSM when the task starts: the variable keeps its name, the file the path.
    return {
      action: 'ecs-secret',
      text: path,
      hint: `ECS reads ${path} from SSM Parameter Store when the task starts (its execution role needs ssm:GetParameters on it): in Orchard's AWS store it is there already; from the local store put it there with aws ssm put-parameter --name ${path} --type SecureString --value ${fetch}`,
      label: `secrets valueFrom ${path}`,
    };
  }
  if (context.startsWith('serverless')) {
    // Serverless resolves `${ssm:…}` when deploying: the function gets the value, the file holds the path.
    return {
      action: 'replace',
      text: `\${ssm:${path}}`,
      code: true,
      hint: `Serverless reads ${path} from SSM Parameter Store when deploying: in Orchard's AWS store it is there already; from the local store put it there with aws ssm put-parameter --name ${path} --type SecureString --value ${fetch}`,
      label: `\${ssm:${path}}`,
    };
  }
  if (/\.tfvars$/i.test(uri)) {
    // A variables file takes literals only: the entry goes, the variable comes from the environment.
    return { action: 'delete-line', hint: `Give Terraform the variable from the environment when applying: export TF_VAR_${name}=${fetch}`, label: `TF_VAR_${name} (entry removed)` };
  }
  if (/\.tf$/i.test(uri)) {
    // Terraform reads the parameter when applying (the value still reaches its state, as any value does).
    const id = terraformId(name);
    return {
      action: 'terraform-ssm',
      text: id,
      path,
      hint: `Terraform reads ${path} from SSM Parameter Store when applying (data "aws_ssm_parameter" "${id}"; the value is in the state as before: keep the state encrypted): in Orchard's AWS store it is there already; from the local store put it there with aws ssm put-parameter --name ${path} --type SecureString --value ${fetch}`,
      label: `data.aws_ssm_parameter.${id}.value`,
    };
  }
  if (context === 'helm-values') {
    return { action: 'empty', hint: `Pass it at deploy time: helm upgrade ... --set <key>=${fetch}`, label: 'an empty value' };
  }
  if (context.startsWith('dockerfile-')) {
    // Whatever an image holds, every copy of it holds: the value goes out of the Dockerfile.
    const id = name.toLowerCase();
    if (context === 'dockerfile-env') {
      return { action: 'replace', text: '""', code: true, hint: `An image's ENV ships with every copy of the image: give ${name} to the container when it starts (docker run -e ${name}=${fetch}, or your platform's secrets)`, label: 'an empty value' };
    }
    const secretHint = `docker build --secret id=${id},env=${name} with ${name}=${fetch}`;
    if (context === 'dockerfile-arg') {
      return { action: 'replace', text: '""', code: true, hint: `Build arguments stay in the image's history: read it from a BuildKit secret where it is used (RUN --mount=type=secret,id=${id},env=${name} …), built with ${secretHint}`, label: 'an empty default' };
    }
    return { action: 'replace', text: `$${name}`, hint: `Give that RUN a BuildKit secret (RUN --mount=type=secret,id=${id},env=${name} …) and build with ${secretHint}`, label: `$${name}` };
  }
  if (context.startsWith('python') || /\.py$/.test(uri)) {
    return { action: 'replace', text: `os.environ["${name}"]`, code: true, hint: `Set ${name} in the app's environment: export ${name}=${fetch}`, label: `os.environ["${name}"]` };
  }
  if (context === 'js-assign' || /\.[cm]?[jt]sx?$/.test(uri)) {
    return { action: 'replace', text: `process.env.${name}`, code: true, hint: `Set ${name} in the app's environment: export ${name}=${fetch}`, label: `process.env.${name}` };
  }
  if (context === 'go-assign' || /\.go$/.test(uri)) {
    return { action: 'replace', text: `os.Getenv("${name}")`, code: true, hint: `Set ${name} in the app's environment: export ${name}=${fetch}`, label: `os.Getenv("${name}")` };
  }
  return { action: 'replace', text: `\${${name}}`, hint: `Set ${name} in the environment: export ${name}=${fetch}`, label: `\${${name}}` };
}

function lineRange(text: string, line: number): Range {
  const lines = text.split('\n');
  return line + 1 < lines.length ? { start: { line, character: 0 }, end: { line: line + 1, character: 0 } } : { start: { line, character: 0 }, end: { line, character: lines[line]?.length ?? 0 } };
}

/**
 * The value a credential's text stands for, which is what goes into the store: a quoted literal's
 * escapes decoded as the file's syntax reads them — JSON's and YAML's double quotes (`\"`, `\\`,
 * `\n`, `\u…`), YAML's single quotes (`''`), a Python string's or a `.env` double-quoted value's
 * common escapes (a raw `r"…"` string as written; a `.env` single-quoted value knows only `\\` and
 * `\'`). Anything else, or an escape Orchard does not know, is the text as written.
 */
export function credentialValue(text: string, range: Range, uri: string): string {
  const s = offsetAt(text, range.start);
  const e = offsetAt(text, range.end);
  const raw = text.slice(s, e);
  const q = text[s - 1];
  if ((q !== '"' && q !== "'") || text[e] !== q || !raw.includes(q === "'" && /\.ya?ml$/i.test(uri) ? "'" : '\\')) return raw;
  // Terraform's quoted strings (HCL): JSON's escapes and `$${` / `%%{`.
  if (/\.(?:tf|tfvars)$/i.test(uri)) return q === '"' ? hclUnescape(raw) : raw;
  if (/\.ya?ml$/i.test(uri)) {
    if (q === "'") return raw.replace(/''/g, "'");
    try {
      const v = parseYaml(`"${raw}"`);
      return typeof v === 'string' ? v : raw;
    } catch {
      return raw;
    }
  }
  // (A template of ECS container definitions, `task.json.tpl`, is JSON once rendered.)
  const json = /\.json$/i.test(uri) || isContainerTemplateName(fileNameOf(uri));
  const py = /\.pyi?$/i.test(uri);
  const dotenv = /(?:^|\/)\.env(?:\.[^/]*)?$|\.env$/i.test(uri);
  if (!json && !py && !dotenv) return raw;
  // A Python raw string (`r"…"`) means what it says; a `.env`'s single quotes know only `\\` and `\'`.
  if (py && /[rR]/.test(text[s - 2] ?? '')) return raw;
  if (dotenv && q === "'") return raw.replace(/\\(['\\])/g, '$1');
  try {
    // Python's and .env's escapes of the other quote (`\'` in '…') are JSON's `'`.
    const v = JSON.parse(`"${json ? raw : raw.replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`);
    return typeof v === 'string' ? v : raw;
  } catch {
    return raw;
  }
}

/** A Terraform name for a data source read as `name` (`DB_PASSWORD` → `db_password`). */
function terraformId(name: string): string {
  const id = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(id) ? id.slice(0, 64) : `p_${id}`.slice(0, 64);
}

/**
 * The quoted value at `range` replaced by `data.aws_ssm_parameter.<id>.value`, and the data source
 * reading `path` added at the end of the file — unless one of that name already reads it. A name
 * the file already uses for another parameter gets a suffix (`db_password_2`).
 */
function terraformSsmEdits(text: string, range: Range, base: string, path: string): TextEdit[] {
  const block = (id: string) => `data "aws_ssm_parameter" "${id}" {\n  name = ${JSON.stringify(path)}\n}\n`;
  const existing = (id: string) => new RegExp(`data\\s+"aws_ssm_parameter"\\s+"${id}"\\s*\\{([^}]*)\\}`).exec(text);
  for (let i = 1; i <= 20; i++) {
    const id = i === 1 ? base : `${base}_${i}`;
    const there = existing(id);
    if (there && !there[1].includes(JSON.stringify(path))) continue;
    const edits: TextEdit[] = [{ range: withQuotes(text, range), newText: `data.aws_ssm_parameter.${id}.value` }];
    if (!there) {
      const end = positionAt(text, text.length);
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const sep = text.length === 0 ? '' : text.endsWith('\n') ? eol : eol + eol;
      edits.push({ range: { start: end, end }, newText: `${sep}${block(id).replace(/\n/g, eol)}` });
    }
    return edits;
  }
  return [];
}

/** The value's range widened to its quotes when it is a whole quoted literal. */
function withQuotes(text: string, r: Range): Range {
  const s = offsetAt(text, r.start);
  const e = offsetAt(text, r.end);
  const q = text[s - 1];
  if ((q === '"' || q === "'" || q === '`') && text[e] === q) return { start: positionAt(text, s - 1), end: positionAt(text, e + 1) };
  return r;
}

/** The edits that put `plan`'s reference where the credential at `range` is. */
export function referenceEdits(text: string, range: Range, plan: ReferencePlan, uri: string): TextEdit[] {
  if (plan.action === 'ecs-secret') return ecsSecretEdits(text, range, plan.text ?? '', ecsJsonView(text, range, uri));
  if (plan.action === 'terraform-ssm') return terraformSsmEdits(text, range, plan.text ?? 'secret', plan.path ?? '');
  if (plan.action === 'delete-line') return [{ range: lineRange(text, range.start.line), newText: '' }];
  if (plan.action === 'empty') return [{ range: withQuotes(text, range), newText: '' }];
  const edits: TextEdit[] = [{ range: plan.code ? withQuotes(text, range) : range, newText: plan.text ?? '' }];
  // Python needs `os` imported for the reference.
  if (/\.py$/.test(uri) && plan.text?.startsWith('os.') && !/^\s*(import os\b|import os,|from os import)/m.test(text)) {
    edits.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import os\n' });
  }
  return edits;
}

/**
 * The `environment` item holding the value at `range` removed (with its separator) and a `secrets`
 * item of its name with `valueFrom: path` added to the same container, after its last secret, or in
 * a new `secrets` list after `environment`, in the file's layout. None when the value is not an
 * `environment` item's of a readable file.
 */
/**
 * The JSON an ECS container's entry at `range` is read in, offsets as the text's: the text; a
 * template's with each `${…}` set aside (`"cpu": ${cpu}`); a Terraform heredoc's with the rest of
 * the file blanked. Empty when the entry is in no heredoc of the Terraform file.
 */
function ecsJsonView(text: string, range: Range, uri: string): string {
  if (/\.tf$/i.test(uri)) {
    const at = offsetAt(text, range.start);
    const r = parseTerraform(text, uri)?.tasks.map((t) => t.jsonRange).find((x) => x !== undefined && offsetAt(text, x.start) <= at && at < offsetAt(text, x.end));
    if (!r) return '';
    const [s, e] = [offsetAt(text, r.start), offsetAt(text, r.end)];
    return slotsAsJson(text, s, e, templateSlots(text, s, e));
  }
  return text.includes('${') ? slotsAsJson(text, 0, text.length, templateSlots(text)) : text;
}

function ecsSecretEdits(text: string, range: Range, path: string, json: string): TextEdit[] {
  const root = parseTree(json);
  const at = getLocation(json, offsetAt(text, range.start)).path;
  const itemPath = at.slice(0, -1);
  if (!root || itemPath.length < 3 || itemPath[itemPath.length - 2] !== 'environment') return [];
  const item = findNodeAtLocation(root, itemPath);
  const list = item?.parent;
  const name = findNodeAtLocation(root, [...itemPath, 'name'])?.value;
  const envProp = list?.parent;
  const container = envProp?.parent;
  if (!item || !list || typeof name !== 'string' || envProp?.type !== 'property' || container?.type !== 'object') return [];
  const span = (a: number, b: number, newText = ''): TextEdit => ({ range: { start: positionAt(text, a), end: positionAt(text, b) }, newText });
  const siblings = list.children ?? [];
  const i = siblings.indexOf(item);
  const end = (n: { offset: number; length: number }) => n.offset + n.length;
  // The item and the separator after it (or before it, for the last one); the only one: the list empties.
  const remove = siblings.length === 1 ? span(list.offset + 1, end(list) - 1) : i < siblings.length - 1 ? span(item.offset, siblings[i + 1].offset) : span(end(siblings[i - 1]), end(item));
  const entry = `{"name": ${JSON.stringify(name)}, "valueFrom": ${JSON.stringify(path)}}`;
  const secrets = container.children?.find((p) => p.children?.[0]?.value === 'secrets')?.children?.[1];
  if (secrets?.type === 'array') {
    const at2 = jsonEntryInsert(text, secrets, entry);
    return [remove, span(at2.offset, at2.offset, at2.insert)];
  }
  // A new list after `environment`, on a line of its own when `environment` has one.
  const lineStart = text.lastIndexOf('\n', envProp.offset - 1) + 1;
  const before = text.slice(lineStart, envProp.offset);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return [remove, span(end(envProp), end(envProp), /\S/.test(before) ? `, "secrets": [${entry}]` : `,${eol}${before}"secrets": [${entry}]`)];
}

/** Comment syntax for an allow marker, by file name; undefined where the format has none (JSON). */
function commentFor(uri: string): string | undefined {
  const b = uri.slice(uri.lastIndexOf('/') + 1);
  if (/\.json$/i.test(b)) return undefined;
  if (/\.([cm]?[jt]sx?|go|java|kt|scala|groovy|swift|rs|c|cc|cpp|h|cs|php)$/i.test(b) || b === 'Jenkinsfile') return '//';
  if (/\.ini$/i.test(b)) return ';';
  return '#';
}

function allowAction(ctx: FeatureContext, f: Finding): CodeActionPlain | undefined {
  const mark = commentFor(f.uri);
  const text = ctx.getText?.(f.uri);
  if (!mark || text === undefined) return undefined;
  const line = text.split('\n')[f.range.start.line] ?? '';
  if (/orchard: ?allow/.test(line)) return undefined;
  const end = { line: f.range.start.line, character: line.replace(/\r$/, '').length };
  return { title: 'Mark this line allowed (orchard: allow)', kind: 'quickfix', fixes: [f], edit: { changes: { [f.uri]: [{ range: { start: end, end }, newText: ` ${mark} orchard: allow` }] } } };
}

/** Code actions for credential findings: move to a store (command), mark allowed (edit). */
export function credentialActions(ctx: FeatureContext, findings: readonly Finding[]): CodeActionPlain[] {
  const out: CodeActionPlain[] = [];
  const root = ctx.workspace.roots?.[0];
  for (const f of findings) {
    const d = f.data;
    if (!d || d.fix !== 'move-credential') continue;
    const name = credentialName(d.keyName, d.detector);
    const args: MoveCredentialCommandArgs = { uri: f.uri, fingerprint: d.fingerprint, name, path: suggestedPath(root, name), context: d.context };
    out.push({
      title: `Move ${name} to the parameter store and reference it (${referencePlan(d.context, f.uri, name, args.path, 'ENV').label})`,
      kind: 'quickfix',
      fixes: [f],
      isPreferred: true,
      command: { title: 'Move credential to the parameter store', command: ClientCommands.moveCredential, arguments: [args] },
    });
    const allow = allowAction(ctx, f);
    if (allow) out.push(allow);
  }
  return out;
}

export type { CredentialFinding };
