import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';
import { writeTinyEmbeddingModel } from '../support/tiny-embedding-model.js';

describe('dense retrieval wired into the application (tiny generated model)', () => {
  let t: TestApp;
  let indexPath: string;

  beforeAll(async () => {
    const model = await writeTinyEmbeddingModel();
    indexPath = `${model.root}/test.vectors.hnsw`;
    t = await startTestApp({ EMBEDDING_MODEL_DIR: model.dir, EMBEDDING_INDEX_PATH: indexPath });
  });
  afterAll(async () => {
    await t.close();
  });

  it('indexes the knowledge base into a vector file at start and still answers with the approved entry', async () => {
    expect(t.logs().some((l) => l.msg === 'dense retrieval enabled')).toBe(true);
    expect(existsSync(indexPath)).toBe(true);
    const [reply] = await chat(t.app, 'dense-session-1', '社保卡丢了怎么办？');
    expect(reply).toMatchObject({ kind: 'answer', sources: [expect.objectContaining({ id: 'kb-001' })] });
  });

  it('fuses the dense ranking: candidates carry a score in [0, 1]', async () => {
    const candidates = await t.app.minsheng.knowledge.search('護照過期了怎麼辦', { topK: 5 });
    expect(candidates[0]?.entryId).toBe('kb-031');
    for (const c of candidates) expect(c.score).toBeGreaterThanOrEqual(0);
    for (const c of candidates) expect(c.score).toBeLessThanOrEqual(1);
  });
});

describe('a configured but missing embedding model', () => {
  it('starts with lexical retrieval only and says why in the log', async () => {
    const t = await startTestApp({ EMBEDDING_MODEL_DIR: '/nonexistent/model' });
    try {
      expect(t.logs().some((l) => l.msg === 'dense retrieval unavailable; lexical retrieval only')).toBe(true);
      const [reply] = await chat(t.app, 'dense-session-2', '公积金余额怎么查');
      expect(reply?.kind).toBe('answer');
    } finally {
      await t.close();
    }
  });
});
