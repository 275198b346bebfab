import { createHash, timingSafeEqual } from 'node:crypto';
import type { StaffRole, StaffToken } from './config.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Who a staff token belongs to: the name is written to histories as the actor. */
export interface StaffIdentity {
  name: string;
  role: StaffRole;
  department?: string;
}

/**
 * Bearer-token authentication of the staff API. Tokens are compared as SHA-256 digests in
 * constant time, every configured token each time, so timing says nothing about which matched.
 */
export function staffAuthenticator(tokens: readonly StaffToken[]) {
  const known = tokens.map((t) => ({ ...t, digest: digest(t.token) }));
  return (authorization: string | undefined): StaffIdentity | undefined => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const presented = digest(match[1]!);
    let found: (typeof known)[number] | undefined;
    for (const candidate of known) if (timingSafeEqual(candidate.digest, presented)) found = candidate;
    if (!found) return undefined;
    return { name: found.name, role: found.role, ...(found.department ? { department: found.department } : {}) };
  };
}
