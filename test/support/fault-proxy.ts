/**
 * An HTTP proxy on 127.0.0.1 that forwards every request to a server (the
 * simulator) and then, as a rule decides, delivers the answer, truncates it,
 * drops the connection, stalls, or replaces status or body. The request has
 * always reached the server first: this is a failure after Intercom has
 * acted on the request (a scroll that has moved on), which a fault inside
 * the server cannot show.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** Path with query string. */
  path: string;
  requestBody: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type ProxyAction =
  | { kind: 'pass' }
  /** Announce the full length, send half, drop the connection. */
  | { kind: 'truncate' }
  /** Drop the connection without an answer. */
  | { kind: 'drop' }
  /** Never answer (the client times out); the socket is closed with the proxy. */
  | { kind: 'stall' }
  | { kind: 'status'; status: number }
  /** Answer 200 with this JSON body instead. */
  | { kind: 'body'; body: unknown };

/** Decides what happens to the nth exchange (1-based); nothing returned means pass. */
export type ProxyRule = (exchange: Exchange, n: number) => ProxyAction | undefined;

export interface FaultProxy {
  url: string;
  /** Requests forwarded. */
  readonly requests: number;
  /** Actions taken other than pass, by kind. */
  readonly faults: Map<string, number>;
  setRule(rule: ProxyRule): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, rule: ProxyRule = () => undefined): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  let current = rule;
  let requests = 0;
  const faults = new Map<string, number>();
  const stalled = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks).toString('utf8');
      const n = ++requests;
      const { host: _host, connection: _connection, ...headers } = req.headers;
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            const exchange: Exchange = {
              method: req.method ?? 'GET',
              path: req.url ?? '/',
              requestBody,
              status: up.statusCode ?? 502,
              headers: up.headers,
              body: Buffer.concat(body).toString('utf8'),
            };
            deliver(res, exchange, current(exchange, n) ?? { kind: 'pass' });
          });
        },
      );
      forward.on('error', () => res.socket?.destroy());
      forward.end(requestBody);
    });
  });

  const deliver = (res: http.ServerResponse, ex: Exchange, action: ProxyAction): void => {
    if (action.kind !== 'pass') faults.set(action.kind, (faults.get(action.kind) ?? 0) + 1);
    const { 'content-length': _length, 'transfer-encoding': _te, connection: _c, 'keep-alive': _ka, ...headers } = ex.headers;
    switch (action.kind) {
      case 'pass':
        res.writeHead(ex.status, headers).end(ex.body);
        return;
      case 'truncate': {
        const bytes = Buffer.from(ex.body);
        res.writeHead(ex.status, { ...headers, 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
        return;
      }
      case 'drop':
        res.socket?.destroy();
        return;
      case 'stall':
        stalled.add(res);
        return;
      case 'status':
        res.writeHead(action.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error.list', errors: [{ code: 'server_error', message: 'injected by the test proxy' }] }));
        return;
      case 'body':
        res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(action.body));
        return;
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    faults,
    setRule: (r) => {
      current = r;
    },
    close: async () => {
      for (const res of stalled) res.socket?.destroy();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The JSON body of an exchange, or null when it is not JSON. */
export function jsonOf(exchange: Exchange): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(exchange.body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
