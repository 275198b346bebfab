import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validityDay } from '../../knowledge/entry-content.js';
import type { KnowledgeEntry } from '../../knowledge/entry.js';
import { healthReport, healthReportCsv } from '../../knowledge/learning/health-report.js';
import { clusterStatuses, inboxSources } from '../../knowledge/learning/learning-inbox.js';
import { tryQuestion } from '../../knowledge/learning/try-it.js';
import { webChatRequestSchema } from '../../channels/web/web-chat.js';
import type { Minsheng } from '../composition.js';
import { consoleUser, requireConsoleRole, type ConsoleRole } from '../console-session.js';

// `details`: one Chinese message per refused field, which the console pages show (without the paths).
const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const security = [{ staffToken: [] }];
/** Who a change is attributed to (the console user's name). */
const consoleActor = (request: Parameters<typeof consoleUser>[0]) => consoleUser(request).name;
const curators: readonly ConsoleRole[] = ['knowledge', 'reviewer', 'admin'];

/**
 * A word of a synonym group: what jieba keeps whole (no spaces, no comment or separator characters).
 * Messages are Chinese, as the entry editor's: the console shows them to the knowledge managers.
 */
const word = (label: string) =>
  z
    .string({ message: `「${label}」应为文字` })
    .trim()
    .min(1, `「${label}」不能为空`)
    .max(20, `「${label}」每个词不能超过 20 个字`)
    .regex(/^[^\s#:,，]+$/u, `「${label}」只能填单个词语，不能含空格、“#”“:”或逗号`);
const synonymBody = z.object({
  canonical: word('标准词').describe('the word every variant is mapped to'),
  variants: z
    .array(word('同义说法'), { message: '「同义说法」应为词的列表' })
    .min(1, '请至少填写一个同义说法')
    .max(100, '「同义说法」最多 100 个'),
});
const englishPhrase = z
  .string({ message: '「英文说法」应为文字' })
  .trim()
  .min(1, '「英文说法」不能为空')
  .max(60, '「英文说法」每项不能超过 60 个字符')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 '-]*$/, "「英文说法」只能包含英文字母、数字、空格、“'”和“-”，以字母或数字开头");
const glossaryBody = z.object({
  chinese: word('中文词').describe('the Chinese term the phrases stand for'),
  phrases: z
    .array(englishPhrase, { message: '「英文说法」应为说法的列表' })
    .min(1, '请至少填写一个英文说法')
    .max(30, '「英文说法」最多 30 个'),
});
const idParams = z.object({ id: z.coerce.number().int().positive() });
const entryIdParams = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'an entry id: 1-64 letters, digits, ".", "_", ":" or "-"'),
});

const synonymSchema = z.object({
  id: z.number().int(),
  canonical: z.string(),
  variants: z.array(z.string()),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
const glossarySchema = z.object({
  id: z.number().int(),
  chinese: z.string(),
  phrases: z.array(z.string()),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});

const questionText = z.string().trim().min(1).max(500);
const tryBody = z.object({
  question: z.string().trim().min(1).max(2000),
  district: z.string().trim().min(1).max(50).optional(),
  draft: z
    .object({
      entryId: z.string().trim().min(1).max(64).optional().describe('the entry the draft edits; omitted = a new entry'),
      question: questionText,
      similar: z.array(questionText).max(100).default([]),
      answer: z.string().trim().max(10_000).default(''),
    })
    .optional()
    .describe(
      'an unpublished edit: the question is also asked against a copy of the index where it replaces the entry',
    ),
});

const explainedSchema = z.object({
  entryId: z.string(),
  question: z.string(),
  score: z.number(),
  matchedQuestion: z.string(),
  questionCoverage: z.number(),
  words: z.array(z.string()),
  synonyms: z.array(z.object({ word: z.string(), canonical: z.string() })),
  pinyinPairs: z.array(z.string()),
  charPairs: z.array(z.string()),
  chars: z.array(z.string()),
});
const triedSchema = z.object({
  kind: z.enum(['answer', 'clarify', 'abstain']),
  entry: z.object({ id: z.string(), question: z.string(), answer: z.string() }).optional(),
  options: z.array(z.object({ entryId: z.string(), question: z.string() })),
  candidates: z.array(explainedSchema),
});
const tryResponse = z.object({
  question: z.string(),
  normalised: z.string(),
  glossed: z.string(),
  corrections: z.array(z.string()),
  synonyms: z.array(z.object({ word: z.string(), canonical: z.string() })),
  live: triedSchema,
  draft: triedSchema.optional(),
});

const clusterSchema = z.object({
  id: z.number().int(),
  status: z.enum(clusterStatuses),
  label: z.string(),
  questionCount: z.number().int(),
  lastSeenAt: z.string(),
  sources: z.record(z.string(), z.number().int()),
  examples: z.array(z.string()),
  staffAnswers: z.array(z.string()),
  resolution: z.string().nullable(),
  entryId: z.string().nullable(),
  entryStatus: z.string().nullable().describe('status of the entry the cluster went to'),
  workingState: z.string().nullable().describe('its working version: draft or review (awaiting publication)'),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
const clusterDetailSchema = clusterSchema.extend({
  questions: z.array(
    z.object({
      id: z.number().int(),
      source: z.enum(inboxSources),
      text: z.string(),
      channel: z.string().nullable(),
      entryId: z.string().nullable(),
      staffAnswer: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  suggestedEntries: z.array(z.object({ id: z.string(), question: z.string(), score: z.number() })),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const healthSchema = z.object({
  generatedAt: z.string(),
  neverHit: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      category: z.string().nullable(),
      department: z.string().nullable(),
    }),
  ),
  expiring: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      department: z.string().nullable(),
      validTo: z.string(),
      daysLeft: z.number().int(),
    }),
  ),
  weeks: z.array(
    z.object({
      week: z.string(),
      answered: z.number().int(),
      clarified: z.number().int(),
      abstained: z.number().int(),
      abstainRate: z.number().nullable(),
    }),
  ),
  topClusters: z.array(
    z.object({ id: z.number().int(), label: z.string(), questionCount: z.number().int(), status: z.string() }),
  ),
});

/**
 * The learning side of the knowledge managers' console: synonyms and glossary, "try it", the
 * learning inbox and the health report. Every route needs a console session (or a console role's
 * bearer token) through requireConsoleRole (server/console-session.ts).
 */
export const learningRoutes =
  (minsheng: Minsheng, timeZone: string): FastifyPluginAsync =>
  async (app) => {
    const curator = requireConsoleRole(curators);
    const api = app.withTypeProvider<ZodTypeProvider>();
    const { inbox, language } = minsheng.learning;
    const withDates = async <T extends { lastSeenAt: Date; decidedAt: Date | null; entryId: string | null }>(c: T) => {
      const entry = c.entryId ? await minsheng.entries.get(c.entryId).catch(() => undefined) : undefined;
      return {
        ...c,
        lastSeenAt: c.lastSeenAt.toISOString(),
        decidedAt: iso(c.decidedAt),
        entryStatus: entry?.status ?? null,
        workingState: entry?.working?.state ?? null,
      };
    };
    // Reloads this instance with the stored dictionaries and tells the others (server/knowledge-sync.ts).
    const applyLanguage = () => minsheng.knowledgeSync.changed('dictionary');
    const tags = ['console'];

    api.get('/api/console/synonyms', {
      schema: {
        summary: 'Synonym groups and the Chinese–English glossary in use',
        tags,
        security,
        response: { 200: z.object({ synonyms: z.array(synonymSchema), glossary: z.array(glossarySchema) }), ...errors },
      },
      preHandler: curator,
      handler: async () => {
        const [synonyms, glossary] = await Promise.all([language.synonyms(), language.glossary()]);
        return {
          synonyms: synonyms.map((g) => ({ ...g, updatedAt: g.updatedAt.toISOString() })),
          glossary: glossary.map((t) => ({ ...t, updatedAt: t.updatedAt.toISOString() })),
        };
      },
    });

    api.post('/api/console/synonyms', {
      schema: {
        summary: 'Add a synonym group; the live index is rebuilt with it',
        tags,
        security,
        body: synonymBody,
        response: { 201: synonymSchema, ...errors },
      },
      preHandler: curator,
      handler: async (request, reply) => {
        const saved = await language.saveSynonymGroup(request.body, consoleActor(request));
        await applyLanguage();
        return reply.status(201).send({ ...saved, updatedAt: saved.updatedAt.toISOString() });
      },
    });

    api.put('/api/console/synonyms/:id', {
      schema: {
        summary: 'Replace a synonym group; the live index is rebuilt with it',
        tags,
        security,
        params: idParams,
        body: synonymBody,
        response: { 200: synonymSchema, ...errors },
      },
      preHandler: curator,
      handler: async (request) => {
        const saved = await language.saveSynonymGroup(
          { id: request.params.id, ...request.body },
          consoleActor(request),
        );
        await applyLanguage();
        return { ...saved, updatedAt: saved.updatedAt.toISOString() };
      },
    });

    api.delete('/api/console/synonyms/:id', {
      schema: {
        summary: 'Delete a synonym group',
        tags,
        security,
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
      preHandler: curator,
      handler: async (request, reply) => {
        await language.deleteSynonymGroup(request.params.id);
        await applyLanguage();
        return reply.status(204).send(null);
      },
    });

    api.post('/api/console/glossary', {
      schema: {
        summary: 'Add a glossary term (Chinese term and its English phrases)',
        tags,
        security,
        body: glossaryBody,
        response: { 201: glossarySchema, ...errors },
      },
      preHandler: curator,
      handler: async (request, reply) => {
        const saved = await language.saveGlossaryTerm(request.body, consoleActor(request));
        await applyLanguage();
        return reply.status(201).send({ ...saved, updatedAt: saved.updatedAt.toISOString() });
      },
    });

    api.put('/api/console/glossary/:id', {
      schema: {
        summary: 'Replace a glossary term',
        tags,
        security,
        params: idParams,
        body: glossaryBody,
        response: { 200: glossarySchema, ...errors },
      },
      preHandler: curator,
      handler: async (request) => {
        const saved = await language.saveGlossaryTerm(
          { id: request.params.id, ...request.body },
          consoleActor(request),
        );
        await applyLanguage();
        return { ...saved, updatedAt: saved.updatedAt.toISOString() };
      },
    });

    api.delete('/api/console/glossary/:id', {
      schema: {
        summary: 'Delete a glossary term',
        tags,
        security,
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
      preHandler: curator,
      handler: async (request, reply) => {
        await language.deleteGlossaryTerm(request.params.id);
        await applyLanguage();
        return reply.status(204).send(null);
      },
    });

    api.post('/api/console/try', {
      schema: {
        summary: 'Ask as a citizen: the decision, the candidates and why each matched; optionally against a draft',
        tags,
        security,
        body: tryBody,
        response: { 200: tryResponse, ...errors },
      },
      preHandler: curator,
      handler: async (request) => {
        const { question, district, draft } = request.body;
        let entry: KnowledgeEntry | undefined;
        if (draft) {
          // The edit replaces what the entry would publish next: its working version, else its live content.
          const base = draft.entryId ? await minsheng.entries.get(draft.entryId) : undefined;
          const content = base ? (base.working?.content ?? base.live) : undefined;
          entry = {
            id: base?.id ?? '(draft)',
            question: draft.question,
            similar: draft.similar,
            answer: draft.answer || content?.answer || '',
            category: content?.category ?? null,
            department: content?.department ?? null,
            region: content?.region ?? null,
            tags: content?.tags ?? [],
            status: 'published',
            sourceTitle: content?.sourceTitle ?? null,
            sourceUrl: content?.sourceUrl ?? null,
            validFrom: null,
            validTo: null,
          };
        }
        return tryQuestion(minsheng.knowledge, question, { ...(district ? { district } : {}), draft: entry });
      },
    });

    api.get('/api/console/inbox', {
      schema: {
        summary: 'Clusters of questions the bot did not serve, most asked first',
        tags,
        security,
        querystring: z.object({
          status: z.enum(clusterStatuses).default('open'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ total: z.number().int(), items: z.array(clusterSchema) }), ...errors },
      },
      preHandler: curator,
      handler: async (request) => {
        await inbox.syncAnsweredConsultations();
        const { total, items } = await inbox.clusters(request.query);
        return { total, items: await Promise.all(items.map(withDates)) };
      },
    });

    api.get('/api/console/inbox/:id', {
      schema: {
        summary: 'One cluster with its questions and the entries its leading question comes closest to',
        tags,
        security,
        params: idParams,
        response: { 200: clusterDetailSchema, ...errors },
      },
      preHandler: curator,
      handler: async (request) => {
        const detail = await inbox.clusterDetail(request.params.id);
        const near = await minsheng.knowledge.search(detail.label, { topK: 5 });
        return {
          ...(await withDates(detail)),
          questions: detail.questions.map((q) => ({ ...q, createdAt: q.createdAt.toISOString() })),
          suggestedEntries: near.map((c) => ({ id: c.entryId, question: c.question, score: c.score })),
        };
      },
    });

    const done = z.object({ ok: z.literal(true) });
    api.post('/api/console/inbox/:id/dismiss', {
      schema: {
        summary: 'Dismiss a cluster: questions like it stay out of the open inbox',
        tags,
        security,
        params: idParams,
        response: { 200: done, ...errors },
      },
      preHandler: curator,
      handler: async (request) => {
        await inbox.dismiss(request.params.id, consoleActor(request));
        return { ok: true as const };
      },
    });

    api.post('/api/console/inbox/:id/reopen', {
      schema: { summary: 'Undo a dismissal', tags, security, params: idParams, response: { 200: done, ...errors } },
      preHandler: curator,
      handler: async (request) => {
        await inbox.reopen(request.params.id, consoleActor(request));
        return { ok: true as const };
      },
    });

    api.post('/api/console/inbox/:id/similar', {
      schema: {
        summary:
          "Add the cluster's questions as similar questions of an entry (a working version, published by review)",
        tags,
        security,
        params: idParams,
        body: z.object({
          entryId: entryIdParams.shape.id,
          questions: z.array(questionText).max(100).optional().describe('default: the cluster’s distinct questions'),
        }),
        response: { 200: z.object({ entryId: z.string(), added: z.array(z.string()) }), ...errors },
      },
      preHandler: curator,
      handler: async (request) => inbox.addAsSimilar(request.params.id, request.body, consoleUser(request)),
    });

    api.post('/api/console/inbox/:id/draft', {
      schema: {
        summary: 'Draft a new entry (status draft, editorial workflow) from the cluster',
        tags,
        security,
        params: idParams,
        body: z.object({
          id: entryIdParams.shape.id.optional().describe('default: inbox-CLUSTER'),
          question: questionText,
          answer: z.string().trim().min(1).max(10_000),
          similar: z.array(questionText).max(100).optional().describe('default: the cluster’s other questions'),
          category: z.string().trim().min(1).max(100).optional(),
          department: z.string().trim().min(1).max(200).optional(),
          region: z.string().trim().min(1).max(100).optional(),
        }),
        response: { 201: z.object({ entryId: z.string() }), ...errors },
      },
      preHandler: curator,
      handler: async (request, reply) =>
        reply.status(201).send(await inbox.draftEntry(request.params.id, request.body, consoleUser(request))),
    });

    api.get('/api/console/health', {
      schema: {
        summary: 'Health report: entries never hit in 90 days, expiring in 30 days, weekly abstain rate, top clusters',
        tags,
        security,
        response: { 200: healthSchema, ...errors },
      },
      preHandler: curator,
      handler: async () => {
        const report = await healthReport(minsheng.db, inbox, { timeZone });
        return {
          ...report,
          generatedAt: report.generatedAt.toISOString(),
          expiring: report.expiring.map((e) => ({ ...e, validTo: e.validTo.toISOString() })),
        };
      },
    });

    api.get('/api/console/health.csv', {
      schema: {
        summary: 'The health report as CSV (UTF-8 with BOM)',
        tags,
        security,
        response: { 200: z.string(), ...errors },
      },
      preHandler: curator,
      handler: async (_request, reply) => {
        const report = await healthReport(minsheng.db, inbox, { timeZone });
        // The hotline's day (TIMEZONE), as every date the console shows: before 08:00 in Beijing UTC is a day behind.
        const day = validityDay(report.generatedAt.toISOString(), timeZone);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="minsheng-health-${day}.csv"`)
          .send(healthReportCsv(report));
      },
    });
  };

/** 有帮助/没帮助 from the web chat: stored with the rated answer message; 没帮助 feeds the learning inbox. */
export const answerFeedbackRoutes =
  (minsheng: Minsheng): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post('/api/chat/feedback', {
      schema: {
        summary: "Rate the session's latest answer from an entry as helpful or not",
        tags: ['chat'],
        body: z.object({
          sessionId: webChatRequestSchema.shape.sessionId,
          entryId: entryIdParams.shape.id,
          helpful: z.boolean(),
        }),
        response: {
          200: z.object({ recorded: z.literal(true), helpful: z.boolean() }),
          400: errorSchema,
          404: errorSchema,
        },
      },
      handler: async (request) => {
        await minsheng.learning.inbox.recordFeedback(request.body);
        return { recorded: true as const, helpful: request.body.helpful };
      },
    });
  };
