import { z } from 'zod';
import { appealTypes } from '../workorders/work-order.js';

/** Work-order fields a language model may read from a citizen's message; every field optional. */
export const extractedFieldsSchema = z.object({
  appealType: z.enum(appealTypes).nullish(),
  category: z.string().trim().min(1).max(20).nullish(),
  place: z.string().trim().min(2).max(60).nullish(),
  time: z.string().trim().min(1).max(30).nullish(),
  phone: z.string().trim().max(20).nullish(),
});
export type ExtractedFields = z.infer<typeof extractedFieldsSchema>;

/** An answer rewritten from knowledge entries, with the ids of the entries it used. */
export const groundedAnswerSchema = z.object({
  answer: z.string().trim().min(1).max(1500),
  cited: z.array(z.string()).min(1),
});
export type GroundedAnswer = z.infer<typeof groundedAnswerSchema>;

/** The entry a model judged to answer a question, or null for none of those it was shown. */
export const chosenEntrySchema = z.object({ entryId: z.string().trim().min(1).max(64).nullable() });

export interface GroundingEntry {
  id: string;
  question: string;
  answer: string;
}

/**
 * The optional LLM. Implementations validate what the model returns and throw on anything else
 * (timeout, HTTP error, malformed output); the engine then answers by its rules.
 */
export interface LanguageModel {
  extractWorkOrderFields(text: string): Promise<ExtractedFields>;
  /** Rephrases an answer to `question` from `entries` only; `cited` must name some of them. */
  rephrase(question: string, entries: GroundingEntry[]): Promise<GroundedAnswer>;
  /**
   * Which of `entries` answers `question` itself (not a neighbouring matter: 结婚证 is not 身份证),
   * or null for none; an id it was not given is an error.
   */
  chooseEntry(question: string, entries: GroundingEntry[]): Promise<string | null>;
}
