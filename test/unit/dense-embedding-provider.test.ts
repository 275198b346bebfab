import { cp, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenseRetrievalError, importOptionalPackage } from '../../knowledge/dense/dense-retrieval-error.js';
import { TransformersEmbeddingProvider } from '../../knowledge/dense/transformers-embedding-provider.js';
import { writeTinyEmbeddingModel, type TinyEmbeddingModel } from '../support/tiny-embedding-model.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const norm = (a: Float32Array) => Math.sqrt(dot(a, a));

describe('TransformersEmbeddingProvider', () => {
  let model: TinyEmbeddingModel;
  let provider: TransformersEmbeddingProvider;

  beforeAll(async () => {
    model = await writeTinyEmbeddingModel({ hiddenSize: 16 });
    provider = await TransformersEmbeddingProvider.load({ modelDir: model.dir });
  });
  afterAll(async () => {
    await provider?.dispose();
    await rm(model.root, { recursive: true, force: true });
  });

  it('loads the local model and reports its width and a fingerprinted id', () => {
    expect(provider.dimensions).toBe(16);
    expect(provider.modelId).toMatch(/^tiny-bert-zh@[0-9a-f]{16}$/);
  });

  it('returns one unit-length vector per text', async () => {
    const vectors = await provider.embed(['社保卡丢了怎么办', '护照过期']);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v).toHaveLength(16);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(dot(vectors[0]!, vectors[1]!)).toBeLessThan(0.99);
  });

  it('gives a sentence the same vector alone and inside a padded batch', async () => {
    const [alone] = await provider.embed(['社保卡丢了怎么办']);
    const batch = await provider.embed(['护照', '社保卡丢了怎么办', '小学入学报名需要准备哪些材料呢']);
    expect(Array.from(batch[1]!)).toEqual(Array.from(alone!).map((x) => expect.closeTo(x, 5)));
  });

  it('splits large inputs into batches without changing the vectors', async () => {
    const texts = ['社保卡补办', '公积金提取', '护照换发', '夜间施工噪音', '小学入学'];
    const small = await TransformersEmbeddingProvider.load({ modelDir: model.dir, batchSize: 2 });
    const [batched, whole] = [await small.embed(texts), await provider.embed(texts)];
    await small.dispose();
    expect(batched.map((v) => Array.from(v))).toEqual(whole.map((v) => Array.from(v).map((x) => expect.closeTo(x, 5))));
  });

  it('changes its id when the weights change, even under the same directory name', async () => {
    const other = await writeTinyEmbeddingModel({ root: await mkdtemp(join(tmpdir(), 'minsheng-model-')), seed: 7 });
    const reseeded = await TransformersEmbeddingProvider.load({ modelDir: other.dir });
    await reseeded.dispose();
    await rm(other.root, { recursive: true, force: true });
    expect(reseeded.modelId.split('@')[0]).toBe('tiny-bert-zh');
    expect(reseeded.modelId).not.toBe(provider.modelId);
  });

  it('refuses a directory that does not exist, naming it', async () => {
    const missing = join(model.root, 'no-such-model');
    const error = await TransformersEmbeddingProvider.load({ modelDir: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DenseRetrievalError);
    expect(error).toMatchObject({ code: 'DENSE_MODEL_FILES_MISSING' });
    expect((error as Error).message).toContain(missing);
  });

  it('lists the files a model directory lacks', async () => {
    const copy = join(model.root, 'incomplete');
    await cp(model.dir, copy, { recursive: true });
    await unlink(join(copy, 'onnx', 'model.onnx'));
    await unlink(join(copy, 'tokenizer_config.json'));
    const error = await TransformersEmbeddingProvider.load({ modelDir: copy }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DENSE_MODEL_FILES_MISSING' });
    expect((error as Error).message).toMatch(/lacks tokenizer_config\.json, onnx\/model\.onnx/);
  });

  it('reports weights the runtime cannot read as an invalid model, naming the directory', async () => {
    const copy = join(model.root, 'garbage-weights');
    await cp(model.dir, copy, { recursive: true });
    await writeFile(join(copy, 'onnx', 'model.onnx'), 'not an onnx graph');
    const error = await TransformersEmbeddingProvider.load({ modelDir: copy }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DENSE_MODEL_INVALID' });
    expect((error as Error).message).toContain(copy);
  });

  it('embeds an empty list to an empty list', async () => {
    expect(await provider.embed([])).toEqual([]);
  });

  it('reports a config without hidden_size as an invalid model', async () => {
    const copy = join(model.root, 'no-width');
    await cp(model.dir, copy, { recursive: true });
    await writeFile(join(copy, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    await expect(TransformersEmbeddingProvider.load({ modelDir: copy })).rejects.toMatchObject({
      code: 'DENSE_MODEL_INVALID',
    });
  });
});

describe('importOptionalPackage', () => {
  it('explains a missing optional package instead of failing with ERR_MODULE_NOT_FOUND', async () => {
    const error = await importOptionalPackage('minsheng-package-that-is-not-installed', 'dense retrieval').catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'DENSE_PACKAGE_MISSING' });
    expect((error as Error).message).toMatch(/not installed.*EMBEDDING_MODEL_DIR/);
  });

  it('returns the module when it is installed', async () => {
    const hnsw = await importOptionalPackage<{ default: { HierarchicalNSW: unknown } }>('hnswlib-node', 'test');
    expect(typeof hnsw.default.HierarchicalNSW).toBe('function');
  });
});
