// Developer command: `npm run db:migration -- NAME` renders models.prisma for each provider and
// writes the migration that takes the last committed schema to it, for SQLite and PostgreSQL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigration } from './schema-engine.js';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run db:migration -- NAME');
  process.exit(2);
}
const postgresUrl = process.env.MIGRATION_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const sqliteUrl = `file:${join(mkdtempSync(join(tmpdir(), 'minsheng-migration-')), 'scratch.db')}`;
for (const url of [sqliteUrl, postgresUrl]) {
  const folder = await createMigration(url, name);
  console.log(folder ? `created ${folder}` : 'no schema change');
}
