import { dirname, join, parse, resolve } from 'node:path';

/**
 * Where the vector index lives by default: beside an SQLite database file
 * (`data/minsheng.db` → `data/minsheng.vectors.hnsw`), or under `<cwd>/data/` for PostgreSQL,
 * whose instances each keep a local copy and catch up with `DenseRetriever.sync` at start-up.
 * An in-memory SQLite database gets an in-memory index (null).
 */
export function defaultVectorIndexPath(databaseUrl: string, cwd: string): string | null {
  if (databaseUrl.startsWith('file:')) {
    const file = databaseUrl.slice('file:'.length).split('?')[0]!;
    if (file === '' || file === ':memory:') return null;
    const { dir, name } = parse(file);
    return join(resolve(cwd, dir), `${name}.vectors.hnsw`);
  }
  return join(cwd, 'data', 'minsheng.vectors.hnsw');
}

export const vectorSidecarPath = (indexPath: string): string =>
  join(dirname(indexPath), `${parse(indexPath).base}.json`);
