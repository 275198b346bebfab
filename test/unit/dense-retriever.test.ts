import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DenseRetriever, questionTexts, type DenseEntry } from '../../knowledge/dense/dense-retriever.js';
import type { EmbeddingProvider } from '../../knowledge/dense/embedding-provider.js';
import { TransformersEmbeddingProvider } from '../../knowledge/dense/transformers-embedding-provider.js';
import { writeTinyEmbeddingModel, type TinyEmbeddingModel } from '../support/tiny-embedding-model.js';

const entry = (id: string, question: string, similar: string[] = []): DenseEntry => ({ id, question, similar });

const entries = [
  entry('card', '社保卡丢失了如何挂失补办？', ['社保卡丢了怎么办', '社保卡补卡']),
  entry('fund', '如何提取住房公积金？', ['公积金怎么取出来', '租房提取公积金']),
  entry('passport', '护照过期了如何换发？', ['护照到期怎么换新']),
  entry('school', '小学入学报名需要什么材料？', ['孩子上小学要准备什么']),
  entry('noise', '夜间施工噪音扰民怎么处理？', ['晚上工地太吵']),
];

/** The real provider, counting how many texts it was asked to embed. */
class CountingProvider implements EmbeddingProvider {
  embedded = 0;
  constructor(private readonly inner: EmbeddingProvider) {}
  get modelId() {
    return this.inner.modelId;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  embed(texts: string[]) {
    this.embedded += texts.length;
    return this.inner.embed(texts);
  }
}

describe('DenseRetriever', () => {
  let model: TinyEmbeddingModel;
  let real: TransformersEmbeddingProvider;
  let provider: CountingProvider;
  let dir: string;
  let indexPath: string;

  beforeAll(async () => {
    model = await writeTinyEmbeddingModel();
    real = await TransformersEmbeddingProvider.load({ modelDir: model.dir });
  });
  afterAll(async () => {
    await real?.dispose();
    await rm(model.root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    provider = new CountingProvider(real);
    dir = await mkdtemp(join(tmpdir(), 'minsheng-dense-'));
    indexPath = join(dir, 'minsheng.vectors.hnsw');
    return () => rm(dir, { recursive: true, force: true });
  });

  const open = () => DenseRetriever.open({ provider, indexPath });

  it('ranks the entry whose questions share characters with the query first', async () => {
    const retriever = await open();
    await retriever.rebuild(entries);
    const results = await retriever.search('社保卡丢了要怎么补办', 3);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ entryId: 'card', matchedQuestion: '社保卡丢了怎么办' });
    expect(results[0]!.similarity).toBeGreaterThan(results[1]!.similarity);
    expect((await retriever.search('护照到期了怎么换', 1))[0]!.entryId).toBe('passport');
    expect((await retriever.search('公积金怎么提取', 1))[0]!.entryId).toBe('fund');
  });

  it('scores an entry by its best question and lists each entry once', async () => {
    const retriever = await open();
    await retriever.rebuild(entries);
    const results = await retriever.search('社保卡补卡', 5);
    expect(results.map((r) => r.entryId).sort()).toEqual(['card', 'fund', 'noise', 'passport', 'school']);
    expect(results[0]).toMatchObject({ entryId: 'card', matchedQuestion: '社保卡补卡' });
    expect(results[0]!.similarity).toBeCloseTo(1, 5);
  });

  it('returns only accepted entries', async () => {
    const retriever = await open();
    await retriever.rebuild(entries);
    const results = await retriever.search('社保卡丢了', 2, { accept: (id) => id !== 'card' });
    expect(results.map((r) => r.entryId)).not.toContain('card');
    expect(results).toHaveLength(2);
  });

  it('applies updates and removals at once and keeps them across a restart', async () => {
    const retriever = await open();
    await retriever.rebuild(entries);
    await retriever.upsert([entry('fund', '社保卡丢了去哪里补办')]);
    await retriever.remove(['card']);
    const top = async (r: DenseRetriever) => (await r.search('社保卡丢了怎么办', 1))[0];
    expect(await top(retriever)).toMatchObject({ entryId: 'fund', matchedQuestion: '社保卡丢了去哪里补办' });

    const restarted = await open();
    expect(restarted.loadedFromDisk).toBe(true);
    expect(restarted.entryCount).toBe(4);
    expect(await top(restarted)).toMatchObject({ entryId: 'fund' });
  });

  it('embeds only what changed: unchanged entries cost no model time on upsert or at start-up', async () => {
    const retriever = await open();
    expect(await retriever.sync(entries)).toEqual({ embedded: 5, removed: 0 });
    const all = entries.flatMap(questionTexts).length;
    expect(provider.embedded).toBe(all);

    await retriever.upsert(entries);
    expect(provider.embedded).toBe(all);

    const edited = entries.map((e) => (e.id === 'noise' ? { ...e, similar: [...e.similar, '半夜装修太吵'] } : e));
    const restarted = await open();
    expect(await restarted.sync(edited.filter((e) => e.id !== 'school'))).toEqual({ embedded: 1, removed: 1 });
    expect(provider.embedded).toBe(all + 3);
    expect((await restarted.search('半夜装修太吵', 1))[0]).toMatchObject({
      entryId: 'noise',
      similarity: expect.closeTo(1, 5),
    });
    expect((await restarted.search('小学入学报名', 5)).map((r) => r.entryId)).not.toContain('school');
  });

  it('re-embeds everything when the index was made by another model', async () => {
    await (await open()).rebuild(entries);
    const otherModel = await writeTinyEmbeddingModel({ root: dir, name: 'other-model', seed: 99 });
    const other = await TransformersEmbeddingProvider.load({ modelDir: otherModel.dir });
    const retriever = await DenseRetriever.open({ provider: other, indexPath });
    expect(retriever.loadedFromDisk).toBe(false);
    expect(retriever.entryCount).toBe(0);
    expect(await retriever.sync(entries)).toEqual({ embedded: 5, removed: 0 });
    expect((await retriever.search('社保卡丢了怎么办', 1))[0]!.entryId).toBe('card');
    await other.dispose();
  });

  it('opens from a model directory and an index path in one call', async () => {
    const retriever = await DenseRetriever.fromModelDir({ modelDir: model.dir, indexPath });
    await retriever.sync(entries);
    expect(retriever.modelId).toBe(real.modelId);
    expect((await retriever.search('晚上工地好吵', 1))[0]!.entryId).toBe('noise');
    await retriever.close();
    expect((await open()).entryCount).toBe(5);
  });

  it('finds nothing for an empty query or an empty index', async () => {
    const retriever = await open();
    expect(await retriever.search('社保卡', 3)).toEqual([]);
    await retriever.rebuild(entries);
    expect(await retriever.search('   ', 3)).toEqual([]);
  });

  it('leaves the index unchanged when embedding fails', async () => {
    const retriever = await open();
    await retriever.rebuild(entries);
    const failing = new CountingProvider(real);
    failing.embed = async () => {
      throw new Error('model crashed');
    };
    const broken = await DenseRetriever.open({ provider: failing, indexPath });
    await expect(broken.upsert([entry('card', '完全不同的问题')])).rejects.toThrow('model crashed');
    expect((await open()).entryCount).toBe(5);
    expect(broken.entryCount).toBe(5);
  });
});

describe('questionTexts', () => {
  it('embeds each non-empty question once', () => {
    expect(questionTexts(entry('a', ' 社保卡 ', ['社保卡', '', '补卡']))).toEqual(['社保卡', '补卡']);
  });
});
