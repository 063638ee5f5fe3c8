/**
 * A server on 127.0.0.1 that answers every GET and POST of the official
 * OpenAPI with that operation's static 200 example (the first one), the
 * way a mock server built from the description would: the same body for
 * every page, the same scroll_param for ever, links that point back at
 * itself. Operations without a 200 example answer 404. It counts requests
 * by route, so tests can bound what a read costs against it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord, loadOpenApi, responseExamples } from './openapi.js';

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal segments first: `/contacts/search` wins over `/contacts/{id}`. */
  params: number;
  body: string | null;
}

export interface ExampleServer {
  url: string;
  /** Requests by `METHOD /template`. */
  readonly byRoute: Map<string, number>;
  readonly requests: number;
  close(): Promise<void>;
}

const SPEC_ORIGIN = /https:\/\/api\.intercom\.io/g;

function operations(): Operation[] {
  const doc = loadOpenApi();
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!isRecord(item)) continue;
    for (const method of ['get', 'post']) {
      if (!isRecord(item[method])) continue;
      let body: string | null = null;
      try {
        const first = [...responseExamples(method, template).values()][0];
        if (first !== undefined) body = JSON.stringify(first);
      } catch {
        body = null;
      }
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      out.push({ method: method.toUpperCase(), template, pattern, params: (template.match(/\{/g) ?? []).length, body });
    }
  }
  return out.sort((a, b) => a.params - b.params);
}

export async function startExampleServer(): Promise<ExampleServer> {
  const ops = operations();
  const byRoute = new Map<string, number>();
  let requests = 0;
  let origin = '';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
      const op = ops.find((o) => o.method === req.method && o.pattern.test(path));
      const route = `${req.method ?? '?'} ${op?.template ?? path}`;
      byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
      if (!op || op.body === null) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error.list', errors: [{ code: 'not_found', message: `no example for ${route}` }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(op.body.replace(SPEC_ORIGIN, origin));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    byRoute,
    get requests() {
      return requests;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
