import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUnreachable } from '../../server/errors.js';
import { chat, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort } from '../support/free-port.js';

/** One request over a kept-alive connection, as a reverse proxy's pool sends it. */
const get = (port: number, agent: Agent, path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

describe('shutdown', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('exits on SIGTERM although a proxy keeps a connection alive (the keep-alive timeout is 72 s)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'serve'], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes('Minsheng is ready')) {
          clearInterval(check);
          resolve();
        }
      }, 100);
      child.once('exit', () => reject(new Error(`exited before ready: ${output}`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(port, agent, '/healthz')).toBe(200);
    const exited = new Promise<{ code: number | null; afterMs: number }>((resolve) => {
      const sent = Date.now();
      child.once('exit', (code) => resolve({ code, afterMs: Date.now() - sent }));
    });
    child.kill('SIGTERM');
    const { code, afterMs } = await exited;
    agent.destroy();
    expect(code, output).toBe(0);
    // Far below the 72 s keep-alive timeout it used to wait out; the grace period is 10 s.
    expect(afterMs).toBeLessThan(30_000);
  });
});

/** A TCP relay to PostgreSQL that can be cut and restored, as a network or a database restart would. */
async function postgresRelay(target: URL) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
  };
}

describe('the database out of reach', () => {
  it('is told from a bug: Prisma and driver errors, also as causes', () => {
    expect(
      databaseUnreachable(Object.assign(new Error("Can't reach database server at 127.0.0.1:1"), { code: 'P1001' })),
    ).toBe(true);
    expect(
      databaseUnreachable(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })),
    ).toBe(true);
    expect(databaseUnreachable(new TypeError('undefined is not a function'))).toBe(false);
  });

  // A relay in front of PostgreSQL can be cut; an embedded SQLite file cannot be out of reach.
  it.runIf(process.env.TEST_DATABASE === 'postgresql')(
    'answers the web chat with 503 and words a citizen can read, then recovers without a restart',
    { timeout: 60_000 },
    async () => {
      const database = await createTestDatabase();
      const target = new URL(database.url);
      const relay = await postgresRelay(target);
      const relayed = new URL(database.url);
      relayed.port = String(relay.port);
      const t: TestApp = await startTestApp({}, { database: { ...database, url: relayed.toString() } });
      try {
        expect((await chat(t.app, 'outage-session-1', '社保卡丢了怎么办'))[0]?.kind).toBe('answer');
        await relay.cut();
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/chat',
          payload: { sessionId: 'outage-session-2', text: '社保卡丢了怎么办' },
        });
        expect(response.statusCode, response.body).toBe(503);
        expect(response.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
        expect(response.json().error.message).toMatch(/服务暂时不可用/);
        await relay.restore();
        let kind: string | undefined;
        for (let attempt = 0; attempt < 50 && kind !== 'answer'; attempt++) {
          kind = await chat(t.app, `outage-session-3-${attempt}`, '社保卡丢了怎么办').then(
            (replies) => replies[0]?.kind,
            () => undefined,
          );
          if (kind !== 'answer') await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(kind).toBe('answer');
      } finally {
        await t.close();
        await relay.cut();
        await database.drop();
      }
    },
  );
});
