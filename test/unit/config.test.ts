import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('uses documented defaults with an empty environment', () => {
    const config = loadConfig({}, '/srv/minsheng');
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      ticketPrefix: 'LJ',
      timeZone: 'Asia/Shanghai',
    });
    expect(config.databaseUrl).toBe('file:/srv/minsheng/data/minsheng.db');
    expect(config.demoKnowledgePath).toMatch(/knowledge\/demo\/demo-kb\.jsonl$/);
  });

  it('reads the operator variables', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://app@db:5432/minsheng',
      REDIS_URL: 'redis://cache:6379',
      LOG_LEVEL: 'warn',
      DEMO_KNOWLEDGE: 'off',
    });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', redisUrl: 'redis://cache:6379', logLevel: 'warn' });
    expect(config.demoKnowledgePath).toBeUndefined();
  });

  it('names every wrong variable and what it expects', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT="70000" is invalid: expected an integer from 1 to 65535/);
    expect(message).toMatch(/DATABASE_URL="mysql:\/\/x" is invalid: expected file:PATH/);
    expect(message).toMatch(/LOG_LEVEL="loud" is invalid: expected one of fatal/);
  });

  it('configures the optional LLM and the Redis key prefix', () => {
    expect(loadConfig({}).llm).toBeUndefined();
    expect(loadConfig({}).redisKeyPrefix).toBe('minsheng:');
    const config = loadConfig({
      LLM_BASE_URL: 'http://llm.internal:8000/v1',
      LLM_MODEL: 'qwen2.5-7b-instruct',
      LLM_API_KEY: 'k',
      LLM_TIMEOUT_MS: '3000',
      REDIS_KEY_PREFIX: 'city-a:',
    });
    expect(config.llm).toEqual({
      baseUrl: 'http://llm.internal:8000/v1',
      model: 'qwen2.5-7b-instruct',
      apiKey: 'k',
      timeoutMs: 3000,
      checkBelowConfidence: 0.9,
    });
    expect(
      loadConfig({ LLM_BASE_URL: 'http://x/v1', LLM_MODEL: 'm', LLM_CHECK_BELOW: '0' }).llm?.checkBelowConfidence,
    ).toBe(0);
    expect(() => loadConfig({ LLM_BASE_URL: 'http://x/v1', LLM_MODEL: 'm', LLM_CHECK_BELOW: '1.5' })).toThrow(
      /LLM_CHECK_BELOW/,
    );
    expect(config.redisKeyPrefix).toBe('city-a:');
    expect(() => loadConfig({ LLM_BASE_URL: 'http://llm.internal:8000/v1' })).toThrow(/LLM_MODEL/);
    expect(() => loadConfig({ LLM_BASE_URL: 'llm.internal' })).toThrow(/LLM_BASE_URL="llm.internal" is invalid/);
    expect(() => loadConfig({ LLM_BASE_URL: 'http://x/v1', LLM_MODEL: 'm', LLM_TIMEOUT_MS: '5' })).toThrow(
      /LLM_TIMEOUT_MS/,
    );
  });
});

describe('STAFF_API_TOKENS', () => {
  it('reads name:token[:role[:department]] entries, admin by default', () => {
    const config = loadConfig({
      STAFF_API_TOKENS:
        'alice:alice-token-0123456789, bob:bob-token-0123456789:handler:临江市城市管理局,carol:carol-token-012345:operator',
    });
    expect(config.staffTokens).toEqual([
      { name: 'alice', token: 'alice-token-0123456789', role: 'admin' },
      { name: 'bob', token: 'bob-token-0123456789', role: 'handler', department: '临江市城市管理局' },
      { name: 'carol', token: 'carol-token-012345', role: 'operator' },
    ]);
    expect(loadConfig({}).staffTokens).toEqual([]);
  });

  it('refuses short tokens, unknown roles and handlers without a department, without echoing secrets', () => {
    for (const value of ['alice:short', 'alice:alice-token-0123456789:boss', 'bob:bob-token-0123456789:handler']) {
      let error: unknown;
      try {
        loadConfig({ STAFF_API_TOKENS: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).toContain('STAFF_API_TOKENS=(hidden)');
      expect(String(error)).not.toContain('0123456789');
    }
  });

  it('never prints the value of a secret in a configuration error', () => {
    let message = '';
    try {
      loadConfig({ WECHAT_TOKEN: 'tok', WECHAT_APP_ID: 'wx123', WECHAT_APP_SECRET: 's3cr3t-value', PORT: 'x' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/PORT="x" is invalid/);
    expect(message).not.toContain('s3cr3t-value');
    let urlMessage = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://app:hunter2@db/x' });
    } catch (e) {
      urlMessage = (e as Error).message;
    }
    expect(urlMessage).toContain('DATABASE_URL="mysql://app:***@db/x" is invalid');
  });
});
