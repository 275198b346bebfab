import { pinyin } from 'pinyin-pro';
import { foldSyllable } from './text-analyzer.js';

/**
 * A message about a sibling of an entry's subject: 结婚证 against an entry on 身份证, 水费 against
 * one on 电费. Two nouns of one length with the same head character and another modifier name
 * different things of one kind; the shared head, characters and verbs (丢了, 补办, 怎么算) make the
 * entry look close, yet it answers another question, and answering it is confidently wrong. Found
 * on questions written by others than the knowledge base's authors (eval/data/fresh-oos.jsonl) and
 * on the knowledge base's own near misses (eval/kb-folds.ts); see README "Retrieval decision".
 */

/** A word is one of the entry's subjects when at least this share of its phrasings use it. */
export const SUBJECT_SHARE = 0.3;

const hanWord = /^\p{Script=Han}{2,}$/u;

/** The words at least SUBJECT_SHARE of an entry's phrasings (question and similar questions) use. */
export function subjectWordsOf(phrasings: readonly (readonly string[])[]): string[] {
  const counts = new Map<string, number>();
  for (const words of phrasings) for (const word of new Set(words)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const needed = SUBJECT_SHARE * phrasings.length;
  return [...counts].filter(([word, n]) => n >= needed && hanWord.test(word)).map(([word]) => word);
}

export interface SiblingJudge {
  /** Whether the entry uses the word anywhere: its phrasings or its answer (then it is no sibling). */
  entryUses(word: string): boolean;
  /** Whether the word is a common noun of the segmenter's dictionary (not a name, verb or fragment). */
  isNoun(word: string): boolean;
}

/** Voice input writes 福照 for 护照: words that sound alike are a typo, not a sibling. */
const soundOf = (word: string) =>
  (pinyin(word, { toneType: 'none', type: 'array' }) as string[]).map(foldSyllable).join(' ');

/**
 * The first message word that names a sibling of one of the entry's subject words, as
 * "message word/subject word" (for the decision and its explanation); undefined if none does.
 * Subject words the message uses are no question; another of the entry's subjects still may be
 * ("驾驶证到期换证" shares 到期 with the entry on 身份证到期, and is still about another card).
 */
export function siblingConflict(
  messageWords: ReadonlySet<string>,
  subjects: readonly string[],
  judge: SiblingJudge,
): string | undefined {
  const open = subjects.filter((s) => !messageWords.has(s));
  if (open.length === 0) return undefined;
  for (const word of messageWords) {
    if (!hanWord.test(word)) continue;
    for (const subject of open) {
      if (subject.length !== word.length || subject.at(-1) !== word.at(-1) || subject[0] === word[0]) continue;
      if (!judge.isNoun(word) || !judge.isNoun(subject)) continue;
      if (soundOf(word) === soundOf(subject) || judge.entryUses(word)) continue;
      return `${word}/${subject}`;
    }
  }
  return undefined;
}
