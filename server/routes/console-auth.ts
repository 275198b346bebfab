import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { consoleRoles, consoleUser, requireConsoleRole, type ConsoleSessions } from '../console-session.js';
import { FailureThrottle } from '../staff-auth.js';

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const userSchema = z.object({ name: z.string(), role: z.enum(consoleRoles) });

/** Console login and logout: a staff token with a console role in, an HttpOnly session cookie out. */
export const consoleAuthRoutes =
  (sessions: ConsoleSessions, timeZone: string): FastifyPluginAsync =>
  async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    // Guessing tokens is slowed per address; one process's memory is enough for that.
    const failures = new FailureThrottle({ limit: 10, windowMs: 10 * 60_000 });

    api.post('/api/console/login', {
      schema: {
        summary: 'Sign in to the knowledge console with a staff token of role knowledge, reviewer or admin',
        tags: ['console'],
        body: z.object({ token: z.string().trim().min(1).max(500) }),
        response: {
          200: userSchema.extend({ expiresAt: z.string() }),
          400: errorSchema,
          401: errorSchema,
          429: errorSchema,
        },
      },
      handler: async (request, reply) => {
        const wait = failures.retryAfterSeconds(request.ip);
        if (wait > 0) {
          return reply
            .status(429)
            .header('retry-after', String(wait))
            .send({
              error: { code: 'RATE_LIMITED', message: `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试` },
            });
        }
        const user = sessions.userOfToken(request.body.token);
        if (!user) {
          failures.record(request.ip);
          request.log.warn({ ip: request.ip }, 'console login refused');
          return reply
            .status(401)
            .send({ error: { code: 'UNAUTHORIZED', message: '令牌无效，或该令牌没有知识库管理台的角色' } });
        }
        const { secret, expiresAt } = await sessions.start(user, request.body.token);
        sessions.setCookie(reply, request, secret, expiresAt);
        request.log.info({ user: user.name, role: user.role }, 'console login');
        return { ...user, expiresAt: expiresAt.toISOString() };
      },
    });

    api.post('/api/console/logout', {
      schema: {
        summary: 'End the console session',
        tags: ['console'],
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
      handler: async (request, reply) => {
        const secret = sessions.secretOf(request);
        if (secret) await sessions.end(secret);
        sessions.clearCookie(reply);
        return { ok: true as const };
      },
    });

    api.get('/api/console/me', {
      schema: {
        summary: "The signed-in console user, and the hotline's time zone (validity dates are days there)",
        tags: ['console'],
        response: { 200: userSchema.extend({ timeZone: z.string() }), 401: errorSchema },
      },
      preHandler: requireConsoleRole(),
      handler: async (request) => ({ ...consoleUser(request), timeZone }),
    });
  };
