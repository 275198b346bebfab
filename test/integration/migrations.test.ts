import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../prisma/client.js';
import { applyMigrations, driftFromModel, readMigrations } from '../../prisma/schema-engine.js';
import { providerOf } from '../../prisma/adapter.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('offline migrator', () => {
  let database: TestDatabase;
  let db: Database | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database.drop();
  });

  it('applies every migration to an empty database, then nothing the second time', async () => {
    const all = (await readMigrations(providerOf(database.url))).migrationDirectories.map((d) => d.path);
    expect(await applyMigrations(database.url)).toEqual(all);
    expect(await applyMigrations(database.url)).toEqual([]);
  });

  it('leaves a schema the application client can use', async () => {
    db = await openDatabase(database.url);
    await db.knowledgeEntry.create({
      data: { id: 'kb-1', question: '问题', answer: '答案', similar: ['同义问法'], tags: [] },
    });
    const row = await db.knowledgeEntry.findUniqueOrThrow({ where: { id: 'kb-1' } });
    expect(row).toMatchObject({ status: 'published', similar: ['同义问法'] });
  });

  it.runIf(process.env.TEST_DATABASE !== 'postgresql')(
    'migrations produce exactly models.prisma (no drift)',
    async () => {
      const scratch = await createTestDatabase();
      try {
        expect(await driftFromModel(scratch.url)).toBe('');
      } finally {
        await scratch.drop();
      }
    },
  );
});
