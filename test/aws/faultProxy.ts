// A loopback HTTP proxy in front of moto that injects the failures AWS produces: throttling,
// 5xx, slow answers, AccessDenied for some paths, expired tokens. Test code only.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'server-error'; status?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'access-denied' }
  | { kind: 'expired' }
  | { kind: 'reset' }
  /**
   * A ValidationException whose message quotes the request, as AWS does for some members: the JSON
   * body as sent (default), the raw `Value`, its URL or base64 encoding, the body inside an XML
   * error, or the value as the error code itself (a hostile or broken endpoint).
   */
  | { kind: 'echo'; encoding?: EchoEncoding };

export type EchoEncoding = 'json-body' | 'raw-value' | 'url-value' | 'base64-body' | 'xml-body' | 'value-as-code' | 'member-message';

function requestValue(body: string): string {
  try {
    const v = (JSON.parse(body) as { Value?: unknown }).Value;
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function echo(res: ServerResponse, body: string, encoding: EchoEncoding): void {
  const value = requestValue(body);
  const constraint = 'failed to satisfy constraint: Member must have length less than or equal to 4096';
  const json = (code: string, message: string) => {
    // A header cannot carry every character: the body's __type then names the error alone.
    const header = /^[\x21-\x7e]*$/.test(code) ? { 'x-amzn-errortype': code } : {};
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fault-proxy', ...header });
    res.end(JSON.stringify({ __type: code, message }));
  };
  switch (encoding) {
    case 'json-body':
      return json('ValidationException', `1 validation error detected: Value '${body.replace(/[<>&]/g, '')}' at 'value' ${constraint}`);
    case 'raw-value':
      return json('ValidationException', `1 validation error detected: Value '${value}' at 'value' ${constraint}`);
    case 'url-value':
      return json('ValidationException', `Invalid request Value=${encodeURIComponent(value)}&Type=SecureString`);
    case 'base64-body':
      return json('ValidationException', `request body (base64): ${Buffer.from(`{"Name":"/x","Value":${JSON.stringify(value)}}`).toString('base64')}`);
    case 'xml-body':
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fault-proxy', 'x-amzn-errortype': 'ValidationException' });
      res.end(JSON.stringify({ __type: 'ValidationException', message: `<Request><Value>${xmlEscape(value)}</Value></Request>` }));
      return;
    case 'value-as-code':
      return json(value, 'unrecognised');
    case 'member-message':
      // The value shaped like AWS's own wording, to trick a parser of the message.
      return json('ValidationException', `2 validation errors detected: Value '${value}' at 'description' ${constraint}; Value '${value}' at 'value' ${constraint}`);
  }
}

export interface Rule {
  /** Which requests: by operation (`DescribeParameters`, `GetCallerIdentity`) and/or body text. */
  op?: string;
  bodyIncludes?: string;
  fault: Fault;
  /** Apply this many times, then stop (default: always). */
  times?: number;
}

export interface Seen {
  op: string;
  fault?: Fault['kind'];
}

function opOf(req: IncomingMessage, body: string): string {
  const t = req.headers['x-amz-target'];
  if (typeof t === 'string') return t.split('.').pop() ?? t;
  const m = /(?:^|&)Action=([A-Za-z]+)/.exec(body);
  return m ? m[1] : '?';
}

function awsError(res: ServerResponse, op: string, status: number, code: string, message: string): void {
  if (op === 'GetCallerIdentity' || op === 'AssumeRole') {
    // STS speaks the XML query protocol.
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'fault-proxy' });
    res.end(`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fault-proxy', 'x-amzn-errortype': code });
  res.end(JSON.stringify({ __type: code, message }));
}

export class FaultProxy {
  rules: Rule[] = [];
  readonly seen: Seen[] = [];
  private server: Server | undefined;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const upstream = new URL(this.target);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = raw.toString('utf8');
        const op = opOf(req, body);
        const rule = this.rules.find((r) => (r.times === undefined || r.times > 0) && (!r.op || r.op === op) && (!r.bodyIncludes || body.includes(r.bodyIncludes)));
        if (rule && rule.times !== undefined) rule.times--;
        const fault = rule?.fault;
        this.seen.push({ op, fault: fault?.kind });
        const forward = () => {
          if (res.destroyed || req.socket.destroyed) return;
          const up = request(
            { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
            (ur) => {
              res.writeHead(ur.statusCode ?? 502, ur.headers);
              ur.pipe(res);
            },
          );
          up.on('error', () => {
            if (!res.headersSent) res.writeHead(502);
            res.end();
          });
          up.end(raw);
        };
        switch (fault?.kind) {
          case undefined:
            return forward();
          case 'throttle':
            return awsError(res, op, 400, op === 'GetCallerIdentity' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded');
          case 'server-error':
            return awsError(res, op, fault.status ?? 503, fault.status === 500 ? 'InternalServerError' : 'ServiceUnavailable', 'Service unavailable');
          case 'access-denied':
            return awsError(res, op, 400, op === 'GetCallerIdentity' ? 'AccessDenied' : 'AccessDeniedException', `User: arn:aws:sts::123456789012:assumed-role/dev/x is not authorized to perform: ssm:${op}`);
          case 'expired':
            return awsError(res, op, 400, op === 'GetCallerIdentity' ? 'ExpiredToken' : 'ExpiredTokenException', 'The security token included in the request is expired');
          case 'echo':
            return echo(res, body, fault.encoding ?? 'json-body');
          case 'reset':
            req.socket.destroy();
            return;
          case 'delay': {
            const t = setTimeout(forward, fault.ms);
            res.on('close', () => clearTimeout(t));
            return;
          }
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(op?: string, fault?: Fault['kind'] | 'none'): number {
    return this.seen.filter((s) => (!op || s.op === op) && (!fault || (fault === 'none' ? !s.fault : s.fault === fault))).length;
  }

  reset(): void {
    this.rules = [];
    this.seen.length = 0;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
