import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { packageRoot } from '../../knowledge/package-root.js';

const consoleDir = join(packageRoot, 'server', 'public', 'console');
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** Pages of the entry list's single-page app; any other NAME.html in the folder is served at /console/NAME. */
const shellRoutes = ['/console', '/console/login', '/console/import', '/console/entries/:id'];

// No inline script or style: every page's code is a file of this folder, and user data goes in as text.
const csp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The knowledge console's pages and assets, read once at start from server/public/console/.
 * Pages of other console features are added by dropping NAME.html (and its scripts) there.
 */
export const consolePageRoutes: FastifyPluginAsync = async (app) => {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of await readdir(consoleDir)) {
    const ext = name.slice(name.lastIndexOf('.'));
    const type = contentTypes[ext];
    if (type) files.set(name, { body: await readFile(join(consoleDir, name)), type });
  }
  const send = (reply: FastifyReply, name: string) => {
    const file = files.get(name)!;
    reply.type(file.type).header('x-content-type-options', 'nosniff');
    if (file.type.startsWith('text/html')) {
      reply.header('content-security-policy', csp).header('cache-control', 'no-store');
    } else reply.header('cache-control', 'no-cache');
    return reply.send(file.body);
  };
  for (const url of shellRoutes)
    app.get(url, { schema: { hide: true } }, async (_request, reply) => send(reply, 'index.html'));
  app.get<{ Params: { name: string } }>('/console/:name', { schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params;
    if (files.has(name) && !name.endsWith('.html')) return send(reply, name);
    if (files.has(`${name}.html`) && name !== 'index') return send(reply, `${name}.html`);
    return reply.callNotFound();
  });
};
