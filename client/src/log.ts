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
        let text = typeof first === 'string' ? first : first instanceof Error ? first.message : String(first);
        text = redactor.scrub(sanitizeTrace(text));
        // extra arguments (objects) are folded into the line so they get scrubbed too
        const extra = rest.map((r) => redactor.scrub(sanitizeTrace(typeof r === 'string' ? r : safeJson(r))));
        return (v as (...a: unknown[]) => unknown).call(target, [text, ...extra].join(' '));
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
