import { describe, expect, it } from 'vitest';
import { defaultVectorIndexPath, vectorSidecarPath } from '../../knowledge/dense/vector-index-path.js';

describe('defaultVectorIndexPath', () => {
  it('puts the index beside an SQLite database file', () => {
    expect(defaultVectorIndexPath('file:/srv/minsheng/data/minsheng.db', '/app')).toBe(
      '/srv/minsheng/data/minsheng.vectors.hnsw',
    );
    expect(defaultVectorIndexPath('file:./data/city.db', '/app')).toBe('/app/data/city.vectors.hnsw');
    expect(defaultVectorIndexPath('file:kb.db?connection_limit=1', '/app')).toBe('/app/kb.vectors.hnsw');
  });

  it('keeps the index in memory for an in-memory database', () => {
    expect(defaultVectorIndexPath('file::memory:', '/app')).toBeNull();
  });

  it('uses the working directory’s data folder for PostgreSQL', () => {
    expect(defaultVectorIndexPath('postgresql://postgres@127.0.0.1:5432/minsheng', '/app')).toBe(
      '/app/data/minsheng.vectors.hnsw',
    );
  });

  it('names the sidecar after the index file', () => {
    expect(vectorSidecarPath('/app/data/minsheng.vectors.hnsw')).toBe('/app/data/minsheng.vectors.hnsw.json');
  });
});
