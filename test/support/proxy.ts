/**
 * A real HTTP proxy in front of the simulator, as a company proxy or gateway
 * would stand in front of Intercom: it serves the API under a path prefix and
 * can answer some routes itself (a 404 for a route it does not forward).
 */
import http from 'node:http';
import type { Test } from 'tap';

export interface ProxyOptions {
  /** The path the API is served under, e.g. '/intercom'. */
  prefix?: string;
  /** Paths (without the prefix) the proxy answers itself with this status and an empty JSON body. */
  answer?: Record<string, number>;
}

export interface Proxy {
  url: string;
  /** Paths requested through the proxy, prefix included. */
  requested: string[];
}

export async function startProxy(t: Test, upstream: string, options: ProxyOptions = {}): Promise<Proxy> {
  const prefix = options.prefix ?? '';
  const requested: string[] = [];
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requested.push(url);
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    const path = url.slice(prefix.length);
    const status = options.answer?.[path.split('?')[0]!];
    if (status !== undefined) {
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const forward = http.request(
      { host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}${prefix}`, requested };
}
