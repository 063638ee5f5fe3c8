/**
 * Route table and matching. Literal segments win over `{param}` segments, so
 * /conversations/deleted never reaches /conversations/{id}.
 */
import { adminRoutes } from './routes/admins.js';
import { catalogRoutes } from './routes/catalog.js';
import { companyRoutes } from './routes/companies.js';
import { contactRoutes } from './routes/contacts.js';
import type { Route } from './routes/context.js';
import { conversationRoutes } from './routes/conversations.js';
import { helpCenterRoutes } from './routes/help-center.js';
import { ticketRoutes } from './routes/tickets.js';

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  /** `${method} ${template}`, the label used in stats and hooks. */
  label: string;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
  /** Literal segment count: more literals = more specific. */
  literals: number;
}

export const ROUTES: readonly Route[] = [
  ...adminRoutes,
  ...catalogRoutes,
  ...companyRoutes,
  ...contactRoutes,
  ...conversationRoutes,
  ...ticketRoutes,
  ...helpCenterRoutes,
];

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

const COMPILED: CompiledRoute[] = ROUTES.map((route) => {
  const segments = split(route.template);
  return { route, segments, literals: segments.filter((s) => !s.startsWith('{')).length };
}).sort((a, b) => b.literals - a.literals);

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function matchRoute(method: string, path: string): RouteMatch | null {
  const parts = split(path);
  for (const candidate of COMPILED) {
    if (candidate.route.method !== method || candidate.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const segment = candidate.segments[i] ?? '';
      const part = parts[i] ?? '';
      if (segment.startsWith('{')) {
        const value = safeDecode(part);
        if (value === null) ok = false;
        else params[segment.slice(1, -1)] = value;
      } else {
        ok = segment === part;
      }
    }
    if (ok) return { route: candidate.route, params, label: `${method} ${candidate.route.template}` };
  }
  return null;
}
