import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { entryContentSchema, type EntryContent } from '../../knowledge/entry-content.js';
import { entryStatuses } from '../../knowledge/entry.js';
import {
  workflowActions,
  type EntryDetail,
  type EntrySummary,
  type VersionView,
} from '../../knowledge/entry-workflow.js';
import type { Minsheng } from '../composition.js';
import { consoleUser, requireConsoleRole } from '../console-session.js';

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

const contentSchema = z.object({
  question: z.string(),
  similar: z.array(z.string()),
  answer: z.string(),
  category: z.string().nullable(),
  department: z.string().nullable(),
  region: z.string().nullable(),
  tags: z.array(z.string()),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  sourceTitle: z.string().nullable(),
  sourceNumber: z.string().nullable(),
  sourceUrl: z.string().nullable(),
});

const versionSchema = z.object({
  number: z.number().int(),
  state: z.enum(['draft', 'review', 'published', 'superseded', 'discarded']),
  origin: z.string(),
  basedOn: z.number().int().nullable(),
  content: contentSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string().describe('send back as expectedUpdatedAt when saving'),
  submittedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
});

const detailSchema = z.object({
  id: z.string(),
  status: z.enum(entryStatuses),
  revision: z.number().int(),
  live: contentSchema.nullable(),
  working: versionSchema.nullable(),
  versions: z.array(versionSchema),
  events: z.array(
    z.object({
      action: z.string(),
      version: z.number().int().nullable(),
      actor: z.string(),
      actorRole: z.string(),
      note: z.string().nullable(),
      at: z.string(),
    }),
  ),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
});

const summarySchema = z.object({
  id: z.string(),
  status: z.enum(entryStatuses),
  question: z.string(),
  category: z.string().nullable(),
  department: z.string().nullable(),
  region: z.string().nullable(),
  tags: z.array(z.string()),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  working: z
    .object({
      number: z.number().int(),
      state: z.enum(['draft', 'review']),
      updatedBy: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const version = (v: VersionView) => ({
  ...v,
  createdAt: v.createdAt.toISOString(),
  updatedAt: v.updatedAt.toISOString(),
  submittedAt: iso(v.submittedAt),
  reviewedAt: iso(v.reviewedAt),
});
const detail = (d: EntryDetail): z.infer<typeof detailSchema> => ({
  ...d,
  working: d.working && version(d.working),
  versions: d.versions.map(version),
  events: d.events.map((e) => ({ ...e, at: e.at.toISOString() })),
  publishedAt: iso(d.publishedAt),
  updatedAt: d.updatedAt.toISOString(),
});
const summary = (s: EntrySummary): z.infer<typeof summarySchema> => ({
  ...s,
  validFrom: iso(s.validFrom),
  validTo: iso(s.validTo),
  working: s.working && { ...s.working, updatedAt: s.working.updatedAt.toISOString() },
  updatedAt: s.updatedAt.toISOString(),
});

const statusList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(entryStatuses)))
  .optional();

/** Filters shared by the list and the export. */
export const entryFilterQuery = z.object({
  q: z.string().trim().max(200).optional().describe('searched with the real retrieval, then as plain text'),
  category: z.string().trim().min(1).max(100).optional(),
  department: z.string().trim().min(1).max(200).optional(),
  region: z.string().trim().min(1).max(100).optional(),
  status: statusList.describe('comma-separated: draft, review, published, archived'),
  expiring: z.coerce.number().int().min(0).max(3650).optional().describe('valid until within this many days'),
});

export const toEntryFilter = (q: z.infer<typeof entryFilterQuery>) => ({
  ...(q.q ? { text: q.q } : {}),
  ...(q.category ? { category: q.category } : {}),
  ...(q.department ? { department: q.department } : {}),
  ...(q.region ? { region: q.region } : {}),
  ...(q.status?.length ? { status: q.status } : {}),
  ...(q.expiring !== undefined ? { expiringWithinDays: q.expiring } : {}),
});

/** What the caller loaded: the working version's updatedAt, or 'none' when it loaded none. */
const expectedUpdatedAt = z
  .union([z.literal('none'), z.iso.datetime()])
  .optional()
  .describe(
    "the working version's updatedAt when the page was loaded, or 'none' when it had none; a change made since is refused (409)",
  );

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'an entry id') });

/** The console's entry API: list and search, editor, workflow, versions. Sessions from console-session.ts. */
export const consoleEntryRoutes =
  (minsheng: Minsheng, timeZone: string): FastifyPluginAsync =>
  async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const entries = minsheng.entries;
    const content = entryContentSchema(timeZone);
    const anyone = requireConsoleRole();
    const editors = requireConsoleRole(['knowledge', 'admin']);
    const tags = ['console'];

    api.get('/api/console/entries', {
      schema: {
        summary: 'List and search entries (filters: category, department, region, status, expiring)',
        tags,
        querystring: entryFilterQuery.extend({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ total: z.number().int(), items: z.array(summarySchema) }), ...errors },
      },
      preHandler: anyone,
      handler: async (request) => {
        const { limit, offset } = request.query;
        const result = await entries.list({ ...toEntryFilter(request.query), limit, offset });
        return { total: result.total, items: result.items.map(summary) };
      },
    });

    api.get('/api/console/entries/facets', {
      schema: {
        summary: 'Categories, departments and regions in use (for the filters)',
        tags,
        response: {
          200: z.object({
            categories: z.array(z.string()),
            departments: z.array(z.string()),
            regions: z.array(z.string()),
          }),
          401: errorSchema,
        },
      },
      preHandler: anyone,
      handler: async () => entries.facets(),
    });

    api.post('/api/console/entries', {
      schema: {
        summary: 'Create an entry as a draft (knowledge managers, administrators)',
        tags,
        body: content,
        response: { 201: detailSchema, ...errors },
      },
      preHandler: editors,
      handler: async (request, reply) => {
        const created = await entries.create(request.body as EntryContent, consoleUser(request));
        return reply.status(201).send(detail(created));
      },
    });

    api.get('/api/console/entries/:id', {
      schema: {
        summary: 'One entry: live content, working version, versions, audit trail',
        tags,
        params: idParams,
        response: { 200: detailSchema, ...errors },
      },
      preHandler: anyone,
      handler: async (request) => detail(await entries.get(request.params.id)),
    });

    api.put('/api/console/entries/:id/draft', {
      schema: {
        summary: 'Save the working version (a published entry stays live until the new version is published)',
        tags,
        params: idParams,
        body: z.object({ content, expectedUpdatedAt }),
        response: { 200: detailSchema, ...errors },
      },
      preHandler: editors,
      handler: async (request) => {
        const { content: body, expectedUpdatedAt: seen } = request.body;
        return detail(
          await entries.save(request.params.id, body as EntryContent, consoleUser(request), {
            ...(seen ? { expectedUpdatedAt: seen } : {}),
            timeZone,
          }),
        );
      },
    });

    api.post('/api/console/entries/:id/actions', {
      schema: {
        summary: 'Workflow step: submit, withdraw, discard (managers); publish, reject, archive, restore (reviewers)',
        tags,
        params: idParams,
        body: z.object({
          action: z.enum(workflowActions),
          note: z.string().trim().max(1000).optional(),
          expectedUpdatedAt,
        }),
        response: { 200: detailSchema, ...errors },
      },
      preHandler: anyone,
      handler: async (request) => {
        const { action, note, expectedUpdatedAt: seen } = request.body;
        return detail(
          await entries.act(request.params.id, action, consoleUser(request), {
            ...(note ? { note } : {}),
            ...(seen ? { expectedUpdatedAt: seen } : {}),
            timeZone,
          }),
        );
      },
    });

    api.post('/api/console/entries/:id/rollback', {
      schema: {
        summary: 'Start a new working version from an old version (reviewed and published like any edit)',
        tags,
        params: idParams,
        body: z.object({ version: z.number().int().min(1) }),
        response: { 200: detailSchema, ...errors },
      },
      preHandler: editors,
      handler: async (request) =>
        detail(await entries.rollback(request.params.id, request.body.version, consoleUser(request))),
    });

    api.get('/api/console/entries/:id/diff', {
      schema: {
        summary: 'Field-by-field changes between two versions (default: live → working)',
        tags,
        params: idParams,
        querystring: z.object({
          from: z.union([z.literal('live'), z.coerce.number().int().min(1)]).default('live'),
          to: z.coerce.number().int().min(1).optional(),
        }),
        response: { 200: z.object({ changes: z.array(z.record(z.string(), z.unknown())) }), ...errors },
      },
      preHandler: anyone,
      handler: async (request) => ({
        changes: await entries.diff(request.params.id, request.query.from, request.query.to),
      }),
    });
  };
