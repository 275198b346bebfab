import type { FastifyRequest } from 'fastify';
import type { StaffToken } from './config.js';
import { HttpError } from './errors.js';
import { staffAuthenticator } from './staff-auth.js';

/** Roles of the knowledge managers' console. */
export type ConsoleRole = 'knowledge-manager' | 'reviewer' | 'admin';

export interface ConsoleUser {
  name: string;
  role: ConsoleRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser?: ConsoleUser;
  }
}

/** Staff API roles as console roles until console sessions exist: hotline operators curate, handlers do not. */
const roleOfStaff: Record<string, ConsoleRole | undefined> = { admin: 'admin', operator: 'knowledge-manager' };

/**
 * The one place the learning pages' APIs authenticate. Today: a staff bearer token
 * (STAFF_API_TOKENS), as the staff API. When the console's own session lands (server/console-session.ts)
 * this function delegates to it and nothing else changes.
 */
export function consoleAccess(tokens: readonly StaffToken[]) {
  const authenticate = staffAuthenticator(tokens);
  return (roles: readonly ConsoleRole[]) => async (request: FastifyRequest) => {
    const actor = authenticate(request.headers.authorization);
    if (!actor) throw new HttpError('UNAUTHORIZED', 'a valid staff bearer token is required');
    const role = roleOfStaff[actor.role];
    if (!role || !roles.includes(role)) throw new HttpError('FORBIDDEN', `the console needs one of: ${roles.join(', ')}`);
    request.consoleUser = { name: actor.name, role };
  };
}

/** Who made a console change (written beside it). */
export const consoleActor = (request: FastifyRequest): string => request.consoleUser?.name ?? 'unknown';
