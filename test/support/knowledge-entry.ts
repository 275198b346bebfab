import type { KnowledgeEntry } from '../../knowledge/entry.js';

/** A published, always valid entry with the given fields; the rest empty. */
export const knowledgeEntry = (fields: Pick<KnowledgeEntry, 'id'> & Partial<KnowledgeEntry>): KnowledgeEntry => ({
  question: fields.id,
  similar: [],
  answer: '',
  category: null,
  department: null,
  region: null,
  tags: [],
  status: 'published',
  sourceTitle: null,
  sourceUrl: null,
  validFrom: null,
  validTo: null,
  ...fields,
});
