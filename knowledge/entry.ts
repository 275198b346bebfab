import { z } from 'zod';

export const entryStatuses = ['draft', 'review', 'published', 'archived'] as const;
export type EntryStatus = (typeof entryStatuses)[number];

/** One approved question-and-answer pair of the unified knowledge base (统一知识库). */
export interface KnowledgeEntry {
  id: string;
  question: string;
  similar: string[];
  answer: string;
  category: string | null;
  department: string | null;
  region: string | null;
  tags: string[];
  status: EntryStatus;
  sourceTitle: string | null;
  /** Document number of the source policy (文号). */
  sourceNumber?: string | null;
  sourceUrl: string | null;
  validFrom: Date | null;
  validTo: Date | null;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));

/** The JSONL interchange format: one entry per line; only id, question and answer are required. */
export const interchangeEntrySchema = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'id must be 1-64 letters, digits, ".", "_", ":" or "-"'),
    question: text(500),
    similar: z.array(text(500)).max(100).default([]),
    answer: text(10_000),
    category: optionalText(100),
    department: optionalText(200),
    region: optionalText(100),
    tags: z.array(text(50)).max(50).default([]),
    status: z.enum(entryStatuses).default('published'),
    sourceTitle: optionalText(300),
    sourceUrl: z
      .string()
      .url()
      .max(2000)
      .optional()
      .transform((v) => v ?? null),
    validFrom: z.coerce
      .date()
      .optional()
      .transform((v) => v ?? null),
    validTo: z.coerce
      .date()
      .optional()
      .transform((v) => v ?? null),
  })
  .refine((e) => !e.validFrom || !e.validTo || e.validFrom <= e.validTo, {
    message: 'validFrom must not be after validTo',
    path: ['validTo'],
  });

export type InterchangeEntry = z.output<typeof interchangeEntrySchema>;

/** Whether citizens may be answered with this entry at `now`. */
export function isAnswerable(entry: KnowledgeEntry, now: Date): boolean {
  if (entry.status !== 'published') return false;
  if (entry.validFrom && entry.validFrom > now) return false;
  if (entry.validTo && entry.validTo < now) return false;
  return true;
}
