import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HnswVectorIndex } from '../../knowledge/dense/hnsw-vector-index.js';

const DIMS = 4;
/** A unit vector along one axis, slightly tilted towards the next: distinct, predictable neighbours. */
const axis = (i: number, tilt = 0) => {
  const v = new Float32Array(DIMS);
  v[i % DIMS] = 1;
  v[(i + 1) % DIMS] = tilt;
  return v;
};
const item = (text: string, vector: Float32Array) => ({ text, vector });

describe('HnswVectorIndex', () => {
  let dir: string;
  let path: string;
  const open = (modelId = 'model-a', dimensions = DIMS) => HnswVectorIndex.open({ path, modelId, dimensions });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minsheng-hnsw-'));
    path = join(dir, 'data', 'minsheng.vectors.hnsw');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('finds the nearest question vector with its entry id, text and cosine similarity', async () => {
    const index = await open();
    expect(index.origin).toBe('created');
    index.upsert('card', [item('社保卡丢了', axis(0)), item('补办社保卡', axis(0, 0.2))]);
    index.upsert('fund', [item('提取公积金', axis(1))]);
    const hits = index.search(axis(1, 0.1), 2);
    expect(hits[0]).toMatchObject({ entryId: 'fund', text: '提取公积金' });
    expect(hits[0]!.similarity).toBeCloseTo(1 / Math.sqrt(1.01), 5);
    expect(hits[1]!.entryId).toBe('card');
    expect(index.entryCount).toBe(2);
    expect(index.vectorCount).toBe(3);
  });

  it('persists beside the database and reloads the same vectors and mapping', async () => {
    const index = await open();
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    index.upsert('fund', [item('提取公积金', axis(1)), item('公积金怎么取', axis(1, 0.3))]);
    await index.save();
    const sidecar = JSON.parse(await readFile(`${path}.json`, 'utf8'));
    expect(sidecar).toMatchObject({ format: 1, modelId: 'model-a', dimensions: DIMS });

    const reopened = await open();
    expect(reopened.origin).toBe('loaded');
    expect(reopened.entryIds().sort()).toEqual(['card', 'fund']);
    expect(reopened.texts('fund')).toEqual(['提取公积金', '公积金怎么取']);
    expect(reopened.search(axis(0), 1)[0]).toMatchObject({ entryId: 'card', text: '社保卡丢了' });
    // New labels after a reload must not collide with stored ones.
    reopened.upsert('passport', [item('护照过期', axis(2))]);
    expect(reopened.search(axis(0), 1)[0]!.entryId).toBe('card');
    expect(reopened.search(axis(2), 1)[0]!.entryId).toBe('passport');
  });

  it('replaces an entry’s vectors on update, also across a reload', async () => {
    const index = await open();
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    index.upsert('fund', [item('提取公积金', axis(1))]);
    index.upsert('card', [item('护照补办', axis(2))]);
    expect(index.texts('card')).toEqual(['护照补办']);
    expect(index.search(axis(0), 2).map((h) => h.text)).not.toContain('社保卡丢了');
    await index.save();
    const reopened = await open();
    expect(reopened.vectorCount).toBe(2);
    expect(reopened.search(axis(2), 1)[0]).toMatchObject({ entryId: 'card', text: '护照补办' });
  });

  it('never returns removed entries, also after a reload', async () => {
    const index = await open();
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    index.upsert('fund', [item('提取公积金', axis(1))]);
    index.remove(['card']);
    expect(index.search(axis(0), 5).map((h) => h.entryId)).toEqual(['fund']);
    await index.save();
    const reopened = await open();
    expect(reopened.search(axis(0), 5).map((h) => h.entryId)).toEqual(['fund']);
    expect(reopened.entryIds()).toEqual(['fund']);
  });

  it('honours an accept filter', async () => {
    const index = await open();
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    index.upsert('fund', [item('提取公积金', axis(0, 0.5))]);
    expect(index.search(axis(0), 1, (id) => id !== 'card')[0]!.entryId).toBe('fund');
  });

  it('grows past its initial capacity and reuses deleted slots instead of growing on updates', async () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const vectors = Array.from({ length: 1500 }, () => Float32Array.from({ length: DIMS }, random));
    const index = await open();
    const sizes: number[] = [];
    for (let round = 0; round < 3; round++) {
      vectors.forEach((v, i) => index.upsert(`e${i}`, [item(`q${i}-${round}`, v)]));
      await index.save();
      sizes.push((await stat(path)).size);
    }
    expect(index.vectorCount).toBe(1500);
    expect(index.texts('e5')).toEqual(['q5-2']);
    expect(index.search(vectors[5]!, 1)[0]!.text).toBe('q5-2');
    expect(sizes[2]).toBe(sizes[0]);
    expect((await open()).vectorCount).toBe(1500);
  });

  it('starts empty when the stored vectors were made by another model or another width', async () => {
    const index = await open();
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    await index.save();
    const otherModel = await open('model-b');
    expect(otherModel.origin).toBe('model-changed');
    expect(otherModel.vectorCount).toBe(0);
    const otherWidth = await HnswVectorIndex.open({ path, modelId: 'model-a', dimensions: 8 });
    expect(otherWidth.origin).toBe('model-changed');
  });

  it('starts empty when the sidecar is corrupt or does not match the index file', async () => {
    const index = await open();
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    await index.save();
    const sidecar = await readFile(`${path}.json`, 'utf8');
    await writeFile(`${path}.json`, sidecar.replace(/"indexBytes":\d+/, '"indexBytes":1'));
    expect((await open()).origin).toBe('unreadable');
    await writeFile(`${path}.json`, '{not json');
    expect((await open()).origin).toBe('unreadable');
  });

  it('refuses a vector of the wrong width', async () => {
    const index = await open();
    expect(() => index.upsert('card', [item('x', new Float32Array(3))])).toThrow(/3-d vector.*4-d index/);
  });

  it('clears everything for a rebuild', async () => {
    const index = await open();
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    index.clear();
    expect(index.search(axis(0), 3)).toEqual([]);
    index.upsert('fund', [item('提取公积金', axis(1))]);
    expect(index.search(axis(0), 3).map((h) => h.entryId)).toEqual(['fund']);
  });

  it('works in memory when no path is given', async () => {
    const index = await HnswVectorIndex.open({ modelId: 'm', dimensions: DIMS });
    index.upsert('card', [item('社保卡丢了', axis(0))]);
    await index.save();
    expect(index.search(axis(0), 1)[0]!.entryId).toBe('card');
  });
});
