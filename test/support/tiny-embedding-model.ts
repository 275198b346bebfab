import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A tiny BERT-like embedding model directory, generated instead of downloaded (see
 * /work/shared/ENVIRONMENT.md "A tiny embedding model for tests"). Each token has a fixed
 * pseudo-random vector; the graph returns the masked sum of word and token-type embeddings as
 * `last_hidden_state`, so after mean pooling two sentences are close when they share characters.
 * That is enough to exercise the real loading, tokenising, pooling and indexing code.
 */
export interface TinyEmbeddingModel {
  /** The model directory (config.json, tokenizer files, onnx/model.onnx). */
  dir: string;
  /** Parent directory, i.e. what `env.localModelPath` points at. */
  root: string;
  name: string;
  hiddenSize: number;
  vocabulary: string[];
}

export interface TinyEmbeddingModelOptions {
  /** Directory to create the model in; a fresh temporary directory by default. */
  root?: string;
  name?: string;
  hiddenSize?: number;
  /** Seed of the embedding values: a different seed is a different model. */
  seed?: number;
}

const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

function vocabulary(): string[] {
  const ascii = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
  const punctuation = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~，。？！、；：“”‘’（）《》【】…'];
  const cjk: string[] = [];
  // The whole basic CJK block: BertNormalizer splits every ideograph into its own token.
  for (let code = 0x4e00; code <= 0x9fff; code++) cjk.push(String.fromCodePoint(code));
  return [...specials, ...ascii, ...ascii.map((c) => `##${c}`), ...punctuation, ...cjk];
}

/** mulberry32: a small seeded generator so every run writes the same model. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- a minimal protobuf writer: varints and length-delimited fields are all ONNX needs here ---

type Field = Uint8Array;

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
const key = (field: number, wireType: number) => varint((field << 3) | wireType);
const int = (field: number, value: number | bigint): Field => Uint8Array.from([...key(field, 0), ...varint(value)]);
const bytes = (field: number, value: Uint8Array): Field =>
  concat([Uint8Array.from([...key(field, 2), ...varint(value.length)]), value]);
const str = (field: number, value: string): Field => bytes(field, Buffer.from(value, 'utf8'));
const message = (field: number, parts: Field[]): Field => bytes(field, concat(parts));

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;

function tensor(field: number, name: string, dims: number[], dataType: number, raw: Uint8Array): Field {
  return message(field, [...dims.map((d) => int(1, d)), int(2, dataType), str(8, name), bytes(9, raw)]);
}

function valueInfo(field: number, name: string, elemType: number, dims: (number | string)[]): Field {
  const shape = dims.map((d) => message(1, [typeof d === 'number' ? int(1, d) : str(2, d)]));
  return message(field, [str(1, name), message(2, [message(1, [int(1, elemType), message(2, shape)])])]);
}

function node(opType: string, inputs: string[], outputs: string[], attributes: Field[] = []): Field {
  return message(1, [...inputs.map((i) => str(1, i)), ...outputs.map((o) => str(2, o)), str(4, opType), ...attributes]);
}

function onnxModel(vocabSize: number, hiddenSize: number, random: () => number, zeroRows: number[]): Uint8Array {
  const words = new Float32Array(vocabSize * hiddenSize);
  for (let i = 0; i < words.length; i++) words[i] = random() * 2 - 1;
  for (const row of zeroRows) words.fill(0, row * hiddenSize, (row + 1) * hiddenSize);
  const types = new Float32Array(2 * hiddenSize).map(() => (random() * 2 - 1) * 0.05);
  const axes = new BigInt64Array([-1n]);
  const graph = [
    node('Gather', ['word_embeddings', 'input_ids'], ['words']),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
    node('Add', ['words', 'types'], ['hidden']),
    node(
      'Cast',
      ['attention_mask'],
      ['mask_float'],
      [message(5, [str(1, 'to'), int(3, FLOAT), int(20, ATTRIBUTE_INT)])],
    ),
    node('Unsqueeze', ['mask_float', 'unsqueeze_axes'], ['mask_column']),
    node('Mul', ['hidden', 'mask_column'], ['last_hidden_state']),
    str(2, 'tiny_bert'),
    tensor(5, 'word_embeddings', [vocabSize, hiddenSize], FLOAT, new Uint8Array(words.buffer)),
    tensor(5, 'token_type_embeddings', [2, hiddenSize], FLOAT, new Uint8Array(types.buffer)),
    tensor(5, 'unsqueeze_axes', [1], INT64, new Uint8Array(axes.buffer)),
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(11, 'attention_mask', INT64, ['batch', 'sequence']),
    valueInfo(11, 'token_type_ids', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', hiddenSize]),
  ];
  return concat([int(1, 7), str(2, 'minsheng-tests'), message(7, graph), message(8, [str(1, ''), int(2, 13)])]);
}

function tokenizerJson(vocab: string[]): object {
  const ids = Object.fromEntries(vocab.map((token, id) => [token, id]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

/** Writes the tiny model and returns where it is. */
export async function writeTinyEmbeddingModel(options: TinyEmbeddingModelOptions = {}): Promise<TinyEmbeddingModel> {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), 'minsheng-tiny-model-')));
  const name = options.name ?? 'tiny-bert-zh';
  const hiddenSize = options.hiddenSize ?? 16;
  const dir = join(root, name);
  const vocab = vocabulary();
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: hiddenSize,
    vocab_size: vocab.length,
    type_vocab_size: 2,
    num_attention_heads: 1,
    num_hidden_layers: 0,
    intermediate_size: hiddenSize,
    max_position_embeddings: 512,
    pad_token_id: 0,
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    model_max_length: 512,
  };
  // Padding, [CLS] and [SEP] carry no meaning: zero vectors keep sentence similarity about characters.
  const zeroRows = ['[PAD]', '[CLS]', '[SEP]'].map((t) => vocab.indexOf(t));
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2));
  const model = onnxModel(vocab.length, hiddenSize, seededRandom(options.seed ?? 12345), zeroRows);
  await writeFile(join(dir, 'onnx', 'model.onnx'), model);
  return { dir, root, name, hiddenSize, vocabulary: vocab };
}
