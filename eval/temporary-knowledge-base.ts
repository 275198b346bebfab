import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKnowledgeJsonl } from '../knowledge/jsonl.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { openDatabase, type Database } from '../prisma/client.js';
import { applyMigrations } from '../prisma/schema-engine.js';

/**
 * Runs `use` with a knowledge base filled from JSONL text (`source` names it in errors) in a fresh
 * temporary SQLite database (as the fitting scripts need), then removes the database.
 */
export async function withKnowledgeBaseOf<T>(
  jsonl: string,
  source: string,
  use: (kb: KnowledgeBase, db: Database) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'minsheng-fit-'));
  try {
    const url = `file:${join(dir, 'fit.db')}`;
    await applyMigrations(url);
    const db = await openDatabase(url);
    try {
      const kb = await KnowledgeBase.open(db);
      const { entries, errors } = parseKnowledgeJsonl(jsonl);
      if (errors.length) throw new Error(`${source}: ${errors.length} invalid lines`);
      await kb.importEntries(entries.map((e) => e.entry));
      return await use(kb, db);
    } finally {
      await db.$disconnect();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
