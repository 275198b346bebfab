import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  provider: 'sqlite' | 'postgresql';
  drop(): Promise<void>;
}

const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh, empty database of the provider the test project runs on (TEST_DATABASE). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.TEST_DATABASE === 'postgresql') {
    const name = `minsheng_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      provider: 'postgresql',
      drop: async () => {
        const client = new pg.Client({ connectionString: postgresAdminUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'minsheng-test-'));
  return {
    url: `file:${join(dir, 'test.db')}`,
    provider: 'sqlite',
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}
