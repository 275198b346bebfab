import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { packageRoot } from '../../knowledge/package-root.js';

const publicDir = join(packageRoot, 'server', 'public');

/** The citizens' web chat page. */
export const webPageRoutes: FastifyPluginAsync = async (app) => {
  const page = await readFile(join(publicDir, 'index.html'), 'utf8');
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
