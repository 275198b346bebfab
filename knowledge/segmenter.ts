import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { stemmer } from 'stemmer';

/** Words that occur in almost every citizen question and say nothing about its topic. */
const stopwords = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 么 嘛 是 在 我 你 您 他 她 它 我们 你们 要 想 能 会 可以 可不可以 能不能 怎么 怎么样 怎样 如何 ' +
    '什么 啥 哪 哪里 哪儿 哪些 多少 几 有 没有 和 与 或 及 还 也 都 就 到 给 让 把 被 对 从 为 为什么 一下 一个 ' +
    '这个 那个 这 那 个 该 请 问 需要 需 去 得 地 着 过 后 前 里 上 下 吗 呢 么 咋 咋办 怎么办 怎么弄 怎么搞 咋整 ' +
    '一下子 一些 有没有 是不是 能否 是否 多少 啥子 嘛 哦 喔 哈 呗 啦 咯 吧 已经 现在 今天 刚刚 刚 才 又 再 很 太 非常 特别 ' +
    'the a an to of is are was be been i me my we our you your he she it its they them how do does did what can could ' +
    'would should will shall may might must there here this that these those in on at for from with by about as and or ' +
    'if then than so not no yes please hi hello thanks thank which who whom when why where get got need want wants any some ' +
    'has have had having am were us him her their just also very too really much many more most such only own something ' +
    'someone anyone anything one ones thing things let lets know tell like into onto over up ' +
    // What the segmenter leaves of contractions (I'm, it's, I've, don't, we'll, I'd).
    'm s ve ll d re t don doesn didn isn aren wasn'
  )
    .split(/\s+/)
    // The glossary Porter-stems English words longer than three letters ("does" reaches the
    // segmenter as "doe", "this" as "thi"), so the stems are stopwords too.
    .flatMap((word) => (/^[a-z]{4,}$/.test(word) ? [word, stemmer(word)] : [word])),
);

export interface SegmenterOptions {
  /** Extra dictionary lines in jieba's format ("word [freq] [tag]"), e.g. the domain dictionary. */
  dictionaries?: string[];
}

/** Chinese word segmentation with jieba's bundled dictionary plus the hotline domain words. */
export class ChineseSegmenter {
  private readonly jieba: Jieba;

  constructor(options: SegmenterOptions = {}) {
    this.jieba = Jieba.withDict(dict);
    for (const extra of options.dictionaries ?? []) this.jieba.loadDict(Buffer.from(extra, 'utf8'));
  }

  /** Adds words (e.g. entry keywords) to the dictionary at run time. */
  addWords(words: Iterable<string>): void {
    const lines = [...words].filter((w) => w.length > 1 && !/\s/.test(w)).map((w) => `${w} 2000`);
    if (lines.length) this.jieba.loadDict(Buffer.from(lines.join('\n'), 'utf8'));
  }

  /** All tokens of already-normalised text in accurate mode, spaces dropped. */
  tokens(normalised: string): string[] {
    return this.jieba.cut(normalised, true).filter((w) => w.trim());
  }

  /** Already-normalised text cut into dictionary words only (no guessed new words), spaces kept. */
  dictionaryWords(normalised: string): string[] {
    return this.jieba.cut(normalised, false);
  }

  isStopword(word: string): boolean {
    return stopwords.has(word);
  }

  /** Whether jieba's dictionary tags the word, taken whole, as a common noun (not a person's name). */
  isNoun(word: string): boolean {
    const tagged = this.jieba.tag(word, false);
    return tagged.length === 1 && /^n(?!r)/.test(tagged[0]!.tag);
  }

  /** Whether jieba's own dictionary has the word as one in common use (拉圾 is in it, but rare). */
  isCommonWord(word: string): boolean {
    return commonDictionaryWords().has(word);
  }

  /** Content words of already-normalised text, in search mode (long words and their parts). */
  words(normalised: string): string[] {
    return this.jieba.cutForSearch(normalised, true).filter((w) => w.trim() && !stopwords.has(w));
  }
}

/** How often jieba's corpus must have seen a word for it to count as one in common use. */
const COMMON_WORD_FREQUENCY = 50;
let commonWords: Set<string> | undefined;

/** jieba's bundled words of 2–4 characters seen more than COMMON_WORD_FREQUENCY times (read once). */
function commonDictionaryWords(): Set<string> {
  if (commonWords) return commonWords;
  commonWords = new Set();
  for (const line of new TextDecoder().decode(dict).split('\n')) {
    const [word, frequency] = line.split(' ');
    if (word && word.length >= 2 && word.length <= 4 && Number(frequency) > COMMON_WORD_FREQUENCY)
      commonWords.add(word);
  }
  return commonWords;
}

export function readDictionary(path: string): string {
  return readFileSync(path, 'utf8');
}
