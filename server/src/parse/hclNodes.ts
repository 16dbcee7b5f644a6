// Reading tree-sitter's HCL (Terraform) syntax nodes: a node's named children through a cursor
// (bounded), string and literal values with HCL's escapes decoded, paths from the module's folder, a
// block's head and members, and a safe one-line account of an expression. Shared by the readers of
// Terraform files (terraform.ts for Lambda functions, terraformEcs.ts for ECS task definitions).
import type { Node } from 'web-tree-sitter';
import { type LineIndex } from './text';

/** Children read per node, at most. */
export const MAX_ITEMS = 2_000;

export interface Ctx {
  text: string;
  li: LineIndex;
}

export const rangeOf = (c: Ctx, n: Node) => c.li.rangeAt(n.startIndex, n.endIndex - n.startIndex);
/** A node's named children, the first MAX_ITEMS (a cursor: a broken file's node may have 100,000). */
export function named(n: Node | null | undefined): Node[] {
  const out: Node[] = [];
  if (!n) return out;
  const c = n.walk();
  try {
    if (c.gotoFirstChild()) {
      do if (c.nodeIsNamed) out.push(c.currentNode);
      while (out.length < MAX_ITEMS && c.gotoNextSibling());
    }
  } finally {
    c.delete();
  }
  return out;
}

/** The expression inside an `expression` wrapper (a bare one when it wraps several parts: `a.b.c`). */
export function inner(n: Node | null | undefined): Node | undefined {
  if (!n) return undefined;
  if (n.type !== 'expression') return n;
  const kids = named(n);
  return kids.length === 1 ? kids[0] : n;
}

/** A string literal's value (HCL's escapes decoded); undefined for a template with interpolations. */
export function stringValue(n: Node | undefined): string | undefined {
  let s = n;
  if (s?.type === 'literal_value') s = named(s)[0];
  if (s?.type === 'template_expr') s = named(s)[0];
  if (!s || (s.type !== 'string_lit' && s.type !== 'quoted_template')) return undefined;
  let out = '';
  for (const k of named(s)) {
    if (k.type === 'template_literal') out += k.text;
    else if (k.type !== 'quoted_template_start' && k.type !== 'quoted_template_end') return undefined;
  }
  return hclUnescape(out);
}

/** The value an HCL quoted string's text stands for: `\n`, `\"`, `\\`, `\uNNNN`, `$${`, `%%{` decoded (anything else as written). */
export function hclUnescape(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt"\\])|\$\$\{|%%\{/g, (m, e: string | undefined) => {
    if (e === undefined) return m.slice(1);
    if (e[0] === 'u' || e[0] === 'U') {
      const cp = parseInt(e.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
  });
}

/** A literal's value as Terraform passes it to Lambda (strings, numbers and booleans); else undefined. */
export function literalValue(n: Node | undefined): string | undefined {
  if (n?.type !== 'literal_value') return stringValue(n);
  const k = named(n)[0];
  if (k?.type === 'numeric_lit' || k?.type === 'bool_lit') return k.text;
  return stringValue(n);
}

/** A path as written, with `${path.module}` (and `path.root`, `path.cwd`) as the file's folder; undefined when it needs anything else. */
export function pathValue(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  const plain = stringValue(n);
  if (plain !== undefined) return plain;
  if (n.type === 'variable_expr' || n.type === 'expression') return /^path\.(?:module|root|cwd)$/.test(n.text.replace(/\s+/g, '')) ? '.' : undefined;
  const t = n.type === 'template_expr' ? named(n)[0] : n;
  if (t?.type !== 'quoted_template') return undefined;
  let out = '';
  for (const k of named(t)) {
    if (k.type === 'template_literal') out += k.text;
    else if (k.type === 'template_interpolation') {
      if (!/^\$\{\s*path\.(?:module|root|cwd)\s*\}$/.test(k.text)) return undefined;
      out += '.';
    } else if (k.type !== 'quoted_template_start' && k.type !== 'quoted_template_end') return undefined;
  }
  return out;
}

/** A block's type and labels (`resource "aws_lambda_function" "api"` → resource, [aws_lambda_function, api]; labels may be bare identifiers). */
export function blockHead(b: Node): { type: string; labels: string[]; labelNodes: Node[] } {
  const kids = named(b);
  const labelNodes: Node[] = [];
  for (const k of kids.slice(1)) {
    if (k.type !== 'string_lit' && k.type !== 'identifier') break;
    labelNodes.push(k);
  }
  const labels = labelNodes.map((k) => (k.type === 'string_lit' ? (stringValue(k) ?? '') : k.text));
  return { type: kids[0]?.type === 'identifier' ? kids[0].text : '', labels, labelNodes };
}

export function bodyOf(b: Node): Node | undefined {
  return named(b).find((k) => k.type === 'body');
}

/** The attributes and nested blocks of a block's body. */
export function members(b: Node): { attrs: Map<string, Node>; blocks: Node[] } {
  const attrs = new Map<string, Node>();
  const blocks: Node[] = [];
  for (const k of named(bodyOf(b)).slice(0, MAX_ITEMS)) {
    if (k.type === 'attribute') {
      const [id, value] = named(k);
      if (id?.type === 'identifier' && value && !attrs.has(id.text)) attrs.set(id.text, value);
    } else if (k.type === 'block') blocks.push(k);
  }
  return { attrs, blocks };
}

/** A short, single-line account of an expression Terraform evaluates when applying (no literal text: a template's parts may be secret). */
export function originOf(n: Node): string {
  const flat = n.text.replace(/\s+/g, ' ').trim();
  if ((n.type === 'variable_expr' || n.type === 'expression') && /^[A-Za-z_][\w-]*(?:\s?\.\s?[A-Za-z_][\w-]*|\[\s?\d+\s?\])*$/.test(flat) && flat.length <= 80) return `Terraform: ${flat.replace(/\s/g, '')}`;
  return 'Terraform, when applying';
}

/** `file(PATH)` (also `templatefile(PATH, …)`, and Terraform 0.11's `"${file(PATH)}"`): the path, when it is one pathValue reads. */
export function fileCall(n: Node | undefined): string | undefined {
  n = interpolated(n) ?? n;
  if (n?.type !== 'function_call') return undefined;
  const [fn, args] = named(n);
  if (!fn || !/^(?:file|templatefile)$/.test(fn.text) || args?.type !== 'function_arguments') return undefined;
  return pathValue(inner(named(args)[0]));
}

/** The expression of a quoted template that is one interpolation and nothing else (`"${file(p)}"`, Terraform 0.11's way). */
export function interpolated(n: Node | undefined): Node | undefined {
  const t = n?.type === 'template_expr' ? named(n)[0] : n;
  if (t?.type !== 'quoted_template') return undefined;
  const parts = named(t).filter((k) => k.type !== 'quoted_template_start' && k.type !== 'quoted_template_end');
  if (parts.length !== 1 || parts[0].type !== 'template_interpolation') return undefined;
  return inner(named(parts[0]).find((k) => k.type === 'expression'));
}
