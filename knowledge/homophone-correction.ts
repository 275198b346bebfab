import { pinyin } from 'pinyin-pro';

/** What the corrector needs to know of the language and of the knowledge base's text. */
export interface CorrectionContext {
  /** The text cut into dictionary words (jieba's and the domain's, without guessing new words). */
  cut(text: string): string[];
  /** Whether these two characters occur side by side somewhere in the knowledge base. */
  isKnownPair(pair: string): boolean;
  /** Whether a character is a function word (在, 的, 想): what the citizen said, rather than a mishearing. */
  isFunctionWord(character: string): boolean;
  /**
   * Whether the dictionary knows a word as one in common use, rather than as a rare form it also
   * records (jieba lists 拉圾 beside 垃圾). Without it every dictionary word counts as common.
   */
  isCommonWord?(word: string): boolean;
}

const MIN_LENGTH = 2;
const MAX_LENGTH = 4;
const hanWord = new RegExp(`^\\p{Script=Han}{${MIN_LENGTH},${MAX_LENGTH}}$`, 'u');

/**
 * Voice input writes a word the citizen said with other characters of the same sound: 社宝卡 for
 * 社保卡, 架照 for 驾照, 然气 for 燃气. Character and pinyin pairs let such a query still match, but
 * weakly; this adds the knowledge base's word to the query, so it scores nearly as if typed right.
 * The text as written stays: a wrong correction (出了 read as 除了) adds a word but takes none away
 * (replacing the stretch instead ranked the same on the development set and worse on another). A stretch of the query is corrected only when all of these hold, to leave real words
 * alone (住在 is no misheard 住宅, nor 能不 a misheard 能补): it sounds like (toneless, since
 * voice input confuses tones too) exactly one knowledge-base word of the same length and keeps at
 * least one of its characters in place (a typo changes some characters, not all), and no
 * character it changes is a function word; it is neither a word of the knowledge base nor of the
 * dictionary, and cuts no dictionary word of the message in two (在加 of 在加拿大); and two of its
 * neighbouring characters never occur side by side in the knowledge base (时间 is written there,
 * 时简 is not). Sounds are not accent-folded here: 住在/住宅 and 想/先 differ only by accent, and
 * folding them corrected more real phrases than typos on the evaluation sets; the index's folded
 * pinyin pairs still catch accented typos, weakly.
 */
export class HomophoneCorrector {
  private readonly vocabulary = new Set<string>();
  /** Toneless pinyin of a word → the word, or null when several words sound alike. */
  private readonly bySound = new Map<string, string | null>();

  constructor(
    words: Iterable<string>,
    private readonly context: CorrectionContext,
  ) {
    for (const word of words) {
      if (!hanWord.test(word) || this.vocabulary.has(word)) continue;
      this.vocabulary.add(word);
      const sound = soundOf(word);
      const known = this.bySound.get(sound);
      this.bySound.set(sound, known === undefined ? word : null);
    }
  }

  get size(): number {
    return this.vocabulary.size;
  }

  /** The knowledge-base words that stretches of the text read like (misheard), in order. */
  corrections(text: string): string[] {
    if (this.bySound.size === 0) return [];
    return (text.match(/\p{Script=Han}{2,}/gu) ?? []).flatMap((run) => this.correctionsIn(run));
  }

  /** The text followed by the words it probably meant (see corrections), if any. */
  withCorrections(text: string): string {
    const words = this.corrections(text);
    return words.length > 0 ? `${text} ${words.join(' ')}` : text;
  }

  private correctionsIn(run: string): string[] {
    const syllables = pinyin(run, { toneType: 'none', type: 'array' });
    // pinyin-pro gives one syllable per Han character; anything else and positions would not line up.
    if (syllables.length !== run.length) return [];
    // Tones are needed only for a dictionary word that sounds like a knowledge-base word: rare.
    let toned: string[] | undefined;
    const tonesAt = (from: number, to: number) =>
      (toned ??= pinyin(run, { toneType: 'num', type: 'array' })).slice(from, to);
    // Where the dictionary's words of the message start and end: a correction keeps to them.
    const boundaries = new Set<number>([0]);
    let at = 0;
    for (const token of this.context.cut(run)) boundaries.add((at += token.length));
    const out: string[] = [];
    let i = 0;
    while (i < run.length) {
      let step = 1;
      let replacement: string | undefined;
      for (let length = Math.min(MAX_LENGTH, run.length - i); length >= MIN_LENGTH; length--) {
        const stretch = run.slice(i, i + length);
        if (this.vocabulary.has(stretch)) {
          step = length;
          break;
        }
        const word = this.bySound.get(syllables.slice(i, i + length).join(' '));
        if (
          word &&
          sharesCharacterInPlace(stretch, word) &&
          !this.changesFunctionWord(stretch, word) &&
          boundaries.has(i) &&
          boundaries.has(i + length) &&
          this.hasUnknownPair(stretch) &&
          (!this.isDictionaryWord(stretch) || this.isRareSameToneForm(stretch, () => tonesAt(i, i + length), word))
        ) {
          replacement = word;
          step = length;
          break;
        }
      }
      if (replacement) out.push(replacement);
      i += step;
    }
    return out;
  }

  private hasUnknownPair(stretch: string): boolean {
    for (let i = 0; i + 2 <= stretch.length; i++) if (!this.context.isKnownPair(stretch.slice(i, i + 2))) return true;
    return false;
  }

  private changesFunctionWord(stretch: string, word: string): boolean {
    for (let i = 0; i < stretch.length; i++)
      if (stretch[i] !== word[i] && this.context.isFunctionWord(stretch[i]!)) return true;
    return false;
  }

  /**
   * A dictionary word is still corrected when the dictionary hardly knows it and it sounds exactly,
   * tones too, like the knowledge-base word: a common misspelling (拉圾 for 垃圾, 上排 for 上牌),
   * not a word of its own that merely sounds alike (工伤 is no misheard 工商, nor 人事 人士).
   */
  private isRareSameToneForm(stretch: string, tones: () => string[], word: string): boolean {
    const isCommon = this.context.isCommonWord;
    return isCommon !== undefined && !isCommon(stretch) && tones().join(' ') === tonedSoundOf(word);
  }

  private isDictionaryWord(stretch: string): boolean {
    const tokens = this.context.cut(stretch);
    return tokens.length === 1 && tokens[0] === stretch;
  }
}

function soundOf(word: string): string {
  return pinyin(word, { toneType: 'none', type: 'array' }).join(' ');
}

function tonedSoundOf(word: string): string {
  return pinyin(word, { toneType: 'num', type: 'array' }).join(' ');
}

function sharesCharacterInPlace(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) return true;
  return false;
}
