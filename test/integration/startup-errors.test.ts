import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);

/** `minsheng` with `args` and the given settings; its exit code and output. */
async function cli(env: Record<string, string>, args: string[] = []) {
  const PORT = String(await freePort());
  return run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT, HOST: '127.0.0.1', ...env },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

/** One line on stderr, exit 78 (EX_CONFIG), as for a ConfigError. */
function expectStartupError(result: { code: number; stderr: string; stdout: string }, line: RegExp) {
  expect(result.code, result.stderr).toBe(78);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(result.stderr + result.stdout).not.toMatch(/Unhandled error event|\n\s+at /);
}

// Each case starts the real CLI (a few seconds each).
describe('start-up errors name the setting, what was wrong and what is expected', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'minsheng-startup-'));
  });
  afterAll(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('REDIS_URL that cannot be reached, without ioredis noise and with the password masked', async () => {
    const result = await cli({ DATABASE_URL: database.url, REDIS_URL: 'redis://:s3cret-pw@127.0.0.1:1' });
    expectStartupError(
      result,
      /^minsheng: REDIS_URL="redis:\/\/:\*\*\*@127\.0\.0\.1:1": cannot connect to Redis \(connect ECONNREFUSED 127\.0\.0\.1:1\); expected a reachable Redis server/,
    );
    expect(result.stderr).not.toContain('s3cret-pw');
  });

  it('DATABASE_URL that cannot be reached, with the password masked', async () => {
    const result = await cli({ DATABASE_URL: 'postgresql://postgres:s3cret-pw@127.0.0.1:1/nodb' });
    expectStartupError(
      result,
      /^minsheng: DATABASE_URL="postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nodb": cannot open or migrate the database \(.*127\.0\.0\.1:1.*\); expected a reachable PostgreSQL server/,
    );
    expect(result.stderr).not.toContain('s3cret-pw');
  });

  it('files that are missing or not what they should be', async () => {
    const csv = join(dir, 'holidays.csv');
    await writeFile(csv, 'date,name\n2026-10-01,国庆节\n');
    const cases: [Record<string, string>, RegExp][] = [
      [
        { DISPATCH_CATALOGUE: '/nope/catalogue.json' },
        /^minsheng: DISPATCH_CATALOGUE="\/nope\/catalogue\.json": no such file; expected the path of a dispatch catalogue JSON file/,
      ],
      [
        { HOLIDAY_CALENDAR: csv },
        /^minsheng: HOLIDAY_CALENDAR=".*holidays\.csv": the file is not valid JSON; expected a JSON file \{ "holidays"/,
      ],
      [
        { DISPATCH_CATALOGUE: csv },
        /^minsheng: DISPATCH_CATALOGUE=".*holidays\.csv": the file is not valid JSON; expected a dispatch catalogue JSON file/,
      ],
      [{ SYNONYMS_FILE: '/nope/synonyms.txt' }, /^minsheng: SYNONYMS_FILE="\/nope\/synonyms\.txt": no such file;/],
      [{ GLOSSARY_FILE: dir }, /^minsheng: GLOSSARY_FILE=".*": a directory, not a file; expected the path of a/],
    ];
    const results = await Promise.all(
      cases.map(([env]) => cli({ DATABASE_URL: database.url, DEMO_KNOWLEDGE: 'off', ...env })),
    );
    results.forEach((result, i) => expectStartupError(result, cases[i]![1]));
  }, 240_000);

  it('DEMO_KNOWLEDGE missing while the knowledge base is empty', async () => {
    const empty = await createTestDatabase();
    try {
      const result = await cli({ DATABASE_URL: empty.url, DEMO_KNOWLEDGE: '/nope/kb.jsonl' });
      expectStartupError(
        result,
        /^minsheng: DEMO_KNOWLEDGE="\/nope\/kb\.jsonl": no such file; expected the path of a JSONL knowledge base.*"off"/,
      );
    } finally {
      await empty.drop();
    }
  });

  it('HOST that is no address and PORT that is taken', async () => {
    const invalid = await cli({ DATABASE_URL: database.url, HOST: '999.1.1.1' });
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toMatch(
      /HOST="999\.1\.1\.1" is invalid: expected a host name or IP address of this machine/,
    );
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const taken = await cli({ DATABASE_URL: database.url, PORT: String(port) });
      expectStartupError(
        taken,
        new RegExp(
          `^minsheng: PORT="${port}": another process is listening on 127\\.0\\.0\\.1:${port}; expected a free port`,
        ),
      );
    } finally {
      server.close();
    }
  });

  it('an unknown command is called one', async () => {
    const result = await cli({}, ['bogus']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown command 'bogus'/);
    expect(result.stderr).not.toMatch(/too many arguments/);
  });
});
