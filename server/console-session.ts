import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Database } from '../prisma/client.js';
import type { StaffToken } from './config.js';
import { HttpError } from './errors.js';
import { staffAuthenticator } from './staff-auth.js';

/** Roles that may use the knowledge console: 编辑 (knowledge manager), 审核 (reviewer), administrator. */
export const consoleRoles = ['knowledge', 'reviewer', 'admin'] as const;
export type ConsoleRole = (typeof consoleRoles)[number];

/** The signed-in console user; `name` is the STAFF_API_TOKENS name and is what every change is attributed to. */
export interface ConsoleUser {
  name: string;
  role: ConsoleRole;
}

export const consoleCookieName = 'minsheng_console';

declare module 'fastify' {
  interface FastifyInstance {
    consoleSessions: ConsoleSessions;
  }
  interface FastifyRequest {
    consoleUser?: ConsoleUser;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');
const isConsoleRole = (role: string): role is ConsoleRole => (consoleRoles as readonly string[]).includes(role);

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * Console logins: a staff token with a console role is exchanged once for a random session id
 * kept in an HttpOnly cookie. The database holds only the id's SHA-256; a session ends at its
 * expiry, at logout, or as soon as the token it signed in with is no longer configured with its
 * name and role (a leaked token, rotated, ends the sessions opened with it).
 */
export class ConsoleSessions {
  private readonly authenticate: ReturnType<typeof staffAuthenticator>;

  constructor(
    private readonly db: Database,
    private readonly tokens: readonly StaffToken[],
    private readonly lifetimeMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.authenticate = staffAuthenticator(tokens);
  }

  /** The console user a bearer token belongs to, if it has a console role. */
  userOfToken(token: string): ConsoleUser | undefined {
    const identity = this.authenticate(`Bearer ${token}`);
    if (!identity || !isConsoleRole(identity.role)) return undefined;
    return { name: identity.name, role: identity.role };
  }

  /** Starts a session for the user of `token`; returns the cookie value (shown once, never stored). */
  async start(user: ConsoleUser, token: string): Promise<{ secret: string; expiresAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.lifetimeMs);
    await this.db.consoleSession.create({
      data: {
        id: digest(secret),
        name: user.name,
        role: user.role,
        tokenDigest: digest(token),
        createdAt: now,
        expiresAt,
        lastSeenAt: now,
      },
    });
    // Expired rows are swept on each login rather than by a timer.
    await this.db.consoleSession.deleteMany({ where: { expiresAt: { lt: now } } });
    return { secret, expiresAt };
  }

  async end(secret: string): Promise<void> {
    await this.db.consoleSession.deleteMany({ where: { id: digest(secret) } });
  }

  /** The user of a live session, or undefined. */
  async resume(secret: string): Promise<ConsoleUser | undefined> {
    const row = await this.db.consoleSession.findUnique({ where: { id: digest(secret) } });
    if (!row || row.expiresAt <= this.clock()) return undefined;
    const stillConfigured = this.tokens.some(
      (t) => t.name === row.name && t.role === row.role && digest(t.token) === row.tokenDigest,
    );
    if (!stillConfigured || !isConsoleRole(row.role)) return undefined;
    return { name: row.name, role: row.role };
  }

  /** The user of a request: the session cookie, or a bearer token with a console role (scripts). */
  async userOf(request: FastifyRequest): Promise<ConsoleUser | undefined> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (bearer) return this.userOfToken(bearer[1]!);
    const secret = cookieValue(request.headers.cookie, consoleCookieName);
    return secret ? this.resume(secret) : undefined;
  }

  secretOf(request: FastifyRequest): string | undefined {
    return cookieValue(request.headers.cookie, consoleCookieName);
  }

  setCookie(reply: FastifyReply, request: FastifyRequest, secret: string, expiresAt: Date): void {
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header(
      'set-cookie',
      `${consoleCookieName}=${secret}; Path=/; HttpOnly; SameSite=Strict; Expires=${expiresAt.toUTCString()}${secure}`,
    );
  }

  clearCookie(reply: FastifyReply): void {
    reply.header('set-cookie', `${consoleCookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
};

/**
 * A preHandler admitting signed-in console users with one of `roles` (all console roles when
 * omitted); sets `request.consoleUser`. 401 without a valid session, 403 for another role.
 * A cookie-authenticated change must come from the console's own origin (with SameSite=Strict,
 * a second guard against cross-site requests).
 *
 * Usage: `app.get('/api/console/x', { preHandler: requireConsoleRole(['reviewer', 'admin']) }, handler)`
 */
export function requireConsoleRole(roles: readonly ConsoleRole[] = consoleRoles): preHandlerAsyncHookHandler {
  return async function consoleRoleGuard(request: FastifyRequest) {
    const user = await request.server.consoleSessions.userOf(request);
    if (!user) throw new HttpError('UNAUTHORIZED', '请先登录知识库管理台');
    const origin = request.headers.origin;
    if (origin && unsafeMethods.has(request.method) && !request.headers.authorization) {
      if (hostOf(origin) !== request.headers.host) throw new HttpError('FORBIDDEN', 'cross-origin request refused');
    }
    if (!roles.includes(user.role)) throw new HttpError('FORBIDDEN', `此操作需要以下角色之一：${roles.join('、')}`);
    request.consoleUser = user;
  };
}

/** The user set by requireConsoleRole (call only in handlers behind it). */
export function consoleUser(request: FastifyRequest): ConsoleUser {
  if (!request.consoleUser) throw new HttpError('UNAUTHORIZED', '请先登录知识库管理台');
  return request.consoleUser;
}
