import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { EmbeddingProvider } from './embedding-provider.js';
import { DenseRetrievalError, importOptionalPackage } from './dense-retrieval-error.js';

/** The files @huggingface/transformers reads for a BERT-style feature-extraction model at fp32. */
export const requiredModelFiles = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model.onnx',
] as const;

export interface TransformersEmbeddingProviderOptions {
  /** A local model directory (e.g. bge-small-zh-v1.5 exported to ONNX). Nothing is ever downloaded. */
  modelDir: string;
  /** Texts per forward pass: bounds memory on large imports. */
  batchSize?: number;
}

/** The slice of @huggingface/transformers used here, typed locally so the package stays optional. */
interface Tensor {
  dims: number[];
  data: Float32Array;
}
interface FeatureExtractionPipeline {
  (texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<Tensor>;
  dispose(): Promise<void>;
}
interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: 'feature-extraction', model: string, options: { dtype: 'fp32' }): Promise<FeatureExtractionPipeline>;
}

/**
 * Embeddings from a local ONNX model through @huggingface/transformers: mean pooling over the
 * attention mask, then L2 normalisation, which is how bge/text2vec-style sentence models are used.
 */
export class TransformersEmbeddingProvider implements EmbeddingProvider {
  private constructor(
    private readonly extract: FeatureExtractionPipeline,
    readonly modelId: string,
    readonly dimensions: number,
    private readonly batchSize: number,
  ) {}

  static async load(options: TransformersEmbeddingProviderOptions): Promise<TransformersEmbeddingProvider> {
    const dir = resolve(options.modelDir);
    const missing = requiredModelFiles.filter((file) => !existsSync(join(dir, file)));
    if (missing.length > 0) {
      throw new DenseRetrievalError(
        'DENSE_MODEL_FILES_MISSING',
        existsSync(dir)
          ? `embedding model directory ${dir} lacks ${missing.join(', ')} (see knowledge/dense/README.md)`
          : `embedding model directory ${dir} does not exist (EMBEDDING_MODEL_DIR)`,
      );
    }
    const dimensions = await readHiddenSize(dir);
    const transformers = await importOptionalPackage<TransformersModule>(
      '@huggingface/transformers',
      'dense retrieval (EMBEDDING_MODEL_DIR)',
    );
    // Process-wide settings of the library: only local files, ever.
    transformers.env.allowRemoteModels = false;
    transformers.env.allowLocalModels = true;
    transformers.env.localModelPath = dirname(dir);
    let extract: FeatureExtractionPipeline;
    try {
      extract = await transformers.pipeline('feature-extraction', basename(dir), { dtype: 'fp32' });
    } catch (error) {
      throw new DenseRetrievalError(
        'DENSE_MODEL_INVALID',
        `embedding model in ${dir} could not be loaded: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const modelId = `${basename(dir)}@${await fingerprint(dir)}`;
    return new TransformersEmbeddingProvider(extract, modelId, dimensions, options.batchSize ?? 32);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const output = await this.extract(batch, { pooling: 'mean', normalize: true });
      const width = output.dims[output.dims.length - 1];
      if (width !== this.dimensions) {
        throw new DenseRetrievalError(
          'DENSE_DIMENSIONS_MISMATCH',
          `embedding model ${this.modelId} returned ${width}-d vectors, its config.json says ${this.dimensions}`,
        );
      }
      for (let i = 0; i < batch.length; i++) {
        vectors.push(Float32Array.from(output.data.subarray(i * width, (i + 1) * width)));
      }
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.extract.dispose();
  }
}

async function readHiddenSize(dir: string): Promise<number> {
  let config: unknown;
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  } catch (error) {
    throw new DenseRetrievalError('DENSE_MODEL_INVALID', `${join(dir, 'config.json')} is not valid JSON`, {
      cause: error,
    });
  }
  const size = (config as { hidden_size?: unknown }).hidden_size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
    throw new DenseRetrievalError('DENSE_MODEL_INVALID', `${join(dir, 'config.json')} has no positive hidden_size`);
  }
  return size;
}

/**
 * A short hash of the weights and tokenizer: replacing the model inside the same directory
 * (say, a fine-tuned bge) changes the id, so stored vectors are rebuilt rather than mixed.
 */
async function fingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of requiredModelFiles) {
    for await (const chunk of createReadStream(join(dir, file))) hash.update(chunk as Buffer);
  }
  return hash.digest('hex').slice(0, 16);
}
