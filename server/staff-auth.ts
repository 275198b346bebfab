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

export interface FailureThrottleOptions {
  /** Failures allowed per client within the window; the next attempt is refused until one expires. */
  limit: number;
  windowMs: number;
  clock?: () => number;
}

/**
 * Counts failed authentications per client (request.ip) in a sliding window, in this process's
 * memory: enough to make guessing tokens slow. Clients without recent failures are forgotten.
 */
export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly clock: () => number;

  constructor(private readonly options: FailureThrottleOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Seconds until `client` may try again (0: now). */
  retryAfterSeconds(client: string): number {
    const recent = this.recent(client);
    if (recent.length < this.options.limit) return 0;
    const freedAt = recent[recent.length - this.options.limit]! + this.options.windowMs;
    return Math.max(1, Math.ceil((freedAt - this.clock()) / 1000));
  }

  record(client: string): void {
    this.failures.set(client, [...this.recent(client), this.clock()]);
    if (this.failures.size > 10_000) this.sweep();
  }

  private recent(client: string): number[] {
    const now = this.clock();
    const recent = (this.failures.get(client) ?? []).filter((t) => now - t < this.options.windowMs);
    if (recent.length) this.failures.set(client, recent);
    else this.failures.delete(client);
    return recent;
  }

  private sweep(): void {
    for (const client of [...this.failures.keys()]) this.recent(client);
  }
}
