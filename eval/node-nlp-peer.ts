// node-nlp as a peer baseline: an NlpManager (language zh) with one intent per entry, trained on the
// entry's question and similar questions, used the way its documentation shows.
import { createRequire } from 'node:module';

export interface NlpClassification {
  intent: string;
  score: number;
}

interface NlpResult {
  intent: string;
  score: number;
  classifications?: NlpClassification[];
}

interface NlpManagerLike {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<NlpResult>;
}

type NlpManagerConstructor = new (settings: Record<string, unknown>) => NlpManagerLike;

export interface NodeNlpEntry {
  id: string;
  utterances: string[];
}

export interface NodeNlpAnswer {
  /** Entry ids ranked by node-nlp's intent scores. */
  ranking: string[];
  /** The entry node-nlp answers with, or undefined when its top intent is 'None'. */
  answer?: string;
}

/** Loads node-nlp (a development dependency), with a clear error when it is not installed. */
export function loadNlpManager(): NlpManagerConstructor {
  const require = createRequire(import.meta.url);
  try {
    return (require('node-nlp') as { NlpManager: NlpManagerConstructor }).NlpManager;
  } catch {
    throw new Error('--peers needs the node-nlp package: npm install -E node-nlp@4.27.0');
  }
}

/** Runs `work` with console output swallowed: node-nlp prints training progress even with log: false. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
  const silent = () => undefined;
  Object.assign(console, { log: silent, info: silent, debug: silent, warn: silent });
  try {
    return await work();
  } finally {
    Object.assign(console, saved);
  }
}

export class NodeNlpPeer {
  private constructor(
    private readonly manager: NlpManagerLike,
    private readonly idOfIntent: Map<string, string>,
  ) {}

  static async train(entries: NodeNlpEntry[]): Promise<NodeNlpPeer> {
    const NlpManager = loadNlpManager();
    const manager = new NlpManager({ languages: ['zh'], forceNER: false, nlu: { log: false }, autoSave: false });
    // Neutral intent names: entry ids may contain '.', which nlp.js reads as a domain separator.
    const idOfIntent = new Map<string, string>();
    entries.forEach((entry, i) => {
      const intent = `entry${i}`;
      idOfIntent.set(intent, entry.id);
      for (const utterance of entry.utterances) manager.addDocument('zh', utterance, intent);
    });
    await quietly(() => manager.train());
    return new NodeNlpPeer(manager, idOfIntent);
  }

  async ask(text: string, topK = 10): Promise<NodeNlpAnswer> {
    const result = await quietly(() => this.manager.process('zh', text));
    const ranking = (result.classifications ?? [])
      .filter((c) => c.score > 0)
      .map((c) => this.idOfIntent.get(c.intent))
      .filter((id): id is string => id !== undefined)
      .slice(0, topK);
    const answer = result.intent === 'None' ? undefined : this.idOfIntent.get(result.intent);
    return { ranking, answer };
  }
}
