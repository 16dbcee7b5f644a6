// The one output channel, "Orchard" (a LogOutputChannel with levels). The language client writes
// server logs and protocol traces through the same channel, wrapped so that every line is
// scrubbed of values the client has seen and traces of value-carrying messages lose their payload.
import * as vscode from 'vscode';
import { Redactor, sanitizeTrace } from './redactor';

const TEXT_METHODS = new Set(['append', 'appendLine', 'replace', 'trace', 'debug', 'info', 'warn', 'error']);

export function scrubbingChannel(channel: vscode.LogOutputChannel, redactor: Redactor): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof v !== 'function') return v;
      if (!TEXT_METHODS.has(prop)) return v.bind(target);
      return (first: unknown, ...rest: unknown[]) => {
        const text = typeof first === 'string' ? first : first instanceof Error ? first.message : String(first);
        // Extra arguments (a trace's payload) are folded into the line first, so the payload is
        // judged with the method named on its first line, and scrubbed too.
        const extra = rest.map((r) => (typeof r === 'string' ? r : safeJson(r)));
        const line = [text, ...extra].join(extra.length && !text.endsWith('\n') ? '\n' : '');
        return (v as (...a: unknown[]) => unknown).call(target, redactor.scrub(sanitizeTrace(line)));
      };
    },
  });
}

function safeJson(x: unknown): string {
  try {
    return x instanceof Error ? x.message : JSON.stringify(x);
  } catch {
    return String(x);
  }
}
