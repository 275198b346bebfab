import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, StartupError, withoutPassword } from '../../server/config.js';
import { FailureThrottle } from '../../server/staff-auth.js';

const problemOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('loadConfig accepted the environment');
};

describe('TRUST_PROXY', () => {
  it('is off by default and reads false, a hop count or proxy addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses "true" (any client could choose its address) and anything that is no address', () => {
    expect(problemOf({ TRUST_PROXY: 'true' })).toMatch(
      /^TRUST_PROXY="true" is invalid: expected false, the number of proxies .*"true" would trust X-Forwarded-For from any client/,
    );
    for (const value of ['11', 'proxy.internal', '10.0.0.0/33', '300.1.1.1', ',']) {
      expect(problemOf({ TRUST_PROXY: value })).toContain(
        `TRUST_PROXY=${JSON.stringify(value)} is invalid: expected false, the number of proxies`,
      );
    }
  });
});

describe('HOST', () => {
  it('refuses a dotted number that is no IPv4 address instead of looking it up as a host name', () => {
    expect(problemOf({ HOST: '999.1.1.1' })).toMatch(
      /^HOST="999.1.1.1" is invalid: expected a host name or IP address/,
    );
    expect(problemOf({ HOST: 'http://0.0.0.0' })).toMatch(/^HOST=/);
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'minsheng-1.internal' }).host).toBe('minsheng-1.internal');
  });
});

describe('StartupError', () => {
  it('is one line: variable, value without password, problem, expectation', () => {
    const error = new StartupError(
      'DATABASE_URL',
      'postgresql://app:pw@db:5432/x',
      'cannot reach postgresql://app:pw@db:5432/x',
      'a reachable server',
    );
    expect(error.message).toBe(
      'DATABASE_URL="postgresql://app:***@db:5432/x": cannot reach postgresql://app:***@db:5432/x; expected a reachable server',
    );
    expect(new StartupError('STAFF_API_TOKENS', 'a:secret', 'x', 'y').message).toBe(
      'STAFF_API_TOKENS=(hidden): x; expected y',
    );
    expect(withoutPassword('redis://:pw@cache:6379 and rediss://u:p@h')).toBe(
      'redis://:***@cache:6379 and rediss://u:***@h',
    );
  });
});

describe('FailureThrottle', () => {
  it('refuses a client after the limit until its oldest failure leaves the window, others untouched', () => {
    let now = 0;
    const throttle = new FailureThrottle({ limit: 3, windowMs: 60_000, clock: () => now });
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('a')).toBe(0);
      throttle.record('a');
      now += 1000;
    }
    expect(throttle.retryAfterSeconds('a')).toBe(57);
    expect(throttle.retryAfterSeconds('b')).toBe(0);
    now = 60_001;
    expect(throttle.retryAfterSeconds('a')).toBe(0);
  });
});
