import type { FastifyInstance } from 'fastify';

const paths = new Set(['/api/chat', '/api/chat/sync', '/api/chat/feedback']);

/**
 * CORS for the widget's HTTP fallback when it is embedded on other sites (the WebSocket needs
 * none): only the origins the operator lists, or any with "*". Registered on the root instance so
 * the hook sees the chat routes.
 */
export function registerWebChatCors(app: FastifyInstance, allowedOrigins: string[]): void {
  if (allowedOrigins.length === 0) return;
  const any = allowedOrigins.includes('*');
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !paths.has(request.url.split('?')[0]!)) return;
    if (!any && !allowedOrigins.includes(origin)) return;
    reply.header('access-control-allow-origin', any ? '*' : origin).header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      return reply
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    }
  });
  // Preflight requests need a route to reach the hook; a disallowed origin gets no CORS headers.
  for (const path of paths) {
    app.options(path, { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());
  }
}
