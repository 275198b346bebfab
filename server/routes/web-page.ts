import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { packageRoot } from '../../knowledge/package-root.js';

const publicDir = join(packageRoot, 'server', 'public');

/** The citizens' web chat page and the embeddable widget it hosts. */
export const webPageRoutes: FastifyPluginAsync = async (app) => {
  const page = await readFile(join(publicDir, 'index.html'), 'utf8');
  const widget = await readFile(join(publicDir, 'widget.js'), 'utf8');
  app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      // Embedded by other government sites.
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(widget),
  );
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
      )
      .send(page),
  );
};
