import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.js';
import { createAdapterFactory, providerOf } from './adapter.js';

export { Prisma } from './generated/sqlite/client.js';
export type * from './generated/sqlite/models.js';

/**
 * The application's database client. Both generated clients expose the same model API (the
 * schemas come from one source), so the SQLite client's type stands for either.
 */
export type Database = InstanceType<typeof SqliteClient>;
export type Transaction = Parameters<Parameters<Database['$transaction']>[0]>[0];

export async function openDatabase(url: string): Promise<Database> {
  const adapter = createAdapterFactory(url);
  if (providerOf(url) === 'postgresql') {
    return new PostgresClient({ adapter }) as unknown as Database;
  }
  const db = new SqliteClient({ adapter });
  // WAL lets the chat keep reading while an import or a work order writes.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA busy_timeout = 5000');
  return db;
}
