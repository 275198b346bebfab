import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { catalogueDepartments, categoryLeaves } from '../../workorders/catalogue.js';
import { actorRoles, workOrderActions, type Actor } from '../../workorders/lifecycle.js';
import type { StaffWorkOrderView } from '../../workorders/work-order-views.js';
import { appealTypes, satisfactionLevels, urgencies, workOrderStatuses } from '../../workorders/work-order.js';
import type { Minsheng } from '../composition.js';
import type { StaffToken } from '../config.js';
import { HttpError } from '../errors.js';
import { staffAuthenticator } from '../staff-auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: Actor;
  }
}

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

const historySchema = z.object({
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actor: z.string(),
  actorRole: z.string().nullable(),
  note: z.string().nullable(),
  departments: z.array(z.string()),
  citizenVisible: z.boolean(),
  at: z.string().describe('ISO 8601'),
});

const orderSchema = z.object({
  code: z.string(),
  version: z.number().int().describe('Send it back as expectedVersion to refuse a change made meanwhile'),
  status: z.enum(workOrderStatuses),
  appealType: z.enum(appealTypes),
  category: z.string().nullable(),
  categoryCode: z.string().nullable(),
  summary: z.string(),
  description: z.string(),
  place: z.string().nullable(),
  district: z.string().nullable(),
  regionCode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  contactPhone: z.string().describe('masked'),
  channel: z.string(),
  urgency: z.enum(urgencies),
  leadDepartment: z.string().nullable(),
  assistingDepartments: z.array(z.string()),
  suggestedDepartments: z.array(z.string()).describe('from the dispatch catalogue; the first is the lead'),
  dispatchRuleId: z.string().nullable().describe('the catalogue rule that produced the suggestion'),
  respondDueAt: z.string().nullable(),
  completeDueAt: z.string().nullable(),
  dueState: z.enum(['ok', 'yellow', 'red']),
  satisfaction: z.enum(satisfactionLevels).nullable(),
  satisfactionComment: z.string().nullable(),
  reopenCount: z.number().int(),
  duplicateOf: z.string().nullable().describe('the order this one was merged into'),
  duplicates: z.array(z.string()).describe('orders merged into this one'),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(historySchema).optional(),
});

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function serialise(v: StaffWorkOrderView): z.infer<typeof orderSchema> {
  return {
    code: v.code,
    version: v.version,
    status: v.status,
    appealType: v.appealType,
    category: v.category,
    categoryCode: v.categoryCode ?? null,
    summary: v.summary,
    description: v.description,
    place: v.place,
    district: v.district ?? null,
    regionCode: v.regionCode ?? null,
    latitude: v.latitude,
    longitude: v.longitude,
    contactPhone: v.contactPhone,
    channel: v.channel,
    urgency: v.urgency ?? 'normal',
    leadDepartment: v.leadDepartment ?? null,
    assistingDepartments: v.assistingDepartments ?? [],
    suggestedDepartments: v.suggestedDepartments,
    dispatchRuleId: v.dispatchRuleId,
    respondDueAt: iso(v.respondDueAt),
    completeDueAt: iso(v.completeDueAt),
    dueState: v.dueState,
    satisfaction: v.satisfaction ?? null,
    satisfactionComment: v.satisfactionComment,
    reopenCount: v.reopenCount,
    duplicateOf: v.duplicateOf ?? null,
    duplicates: v.duplicates,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    ...(v.history ? { history: v.history.map((h) => ({ ...h, at: h.at.toISOString() })) } : {}),
  };
}

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)))
    .optional();

const listQuery = z.object({
  status: csv(workOrderStatuses).describe('comma-separated statuses'),
  department: z.string().trim().min(1).optional().describe('lead or assisting department (ignored for handlers)'),
  district: z.string().trim().min(1).optional(),
  due: csv(['yellow', 'red'] as const).describe('yellow = near a due date, red = past it'),
  overdue: z.enum(['true', 'false']).optional().describe('true: same as due=red'),
  text: z.string().trim().min(1).max(100).optional().describe('in description, place or ticket number'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const codeParams = z.object({ code: z.string().regex(/^[A-Za-z]{1,4}\d{14}$/, 'a ticket number') });

const actionBody = z.object({
  action: z.enum(workOrderActions).describe('see the transition table in the README'),
  note: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .describe('required for return (reason) and resolve (reply to the citizen)'),
  lead: z.string().trim().min(1).max(100).optional().describe('lead department for dispatch/reassign'),
  assisting: z.array(z.string().trim().min(1).max(100)).max(10).optional(),
  expectedVersion: z.number().int().min(0).optional(),
  satisfaction: z
    .enum(satisfactionLevels)
    .optional()
    .describe('rate/reopen: the result of a return visit made by phone; note is the comment'),
});

const noteBody = z.object({
  note: z.string().trim().min(1).max(2000),
  citizenVisible: z.boolean().default(false).describe('true: the citizen receives it on their channel'),
});

/** The staff API: authenticated with bearer tokens from STAFF_API_TOKENS; the token's name is the actor. */
export const staffRoutes =
  (minsheng: Minsheng, tokens: readonly StaffToken[]): FastifyPluginAsync =>
  async (app) => {
    const authenticate = staffAuthenticator(tokens);
    const staff = (request: FastifyRequest): Actor => request.staff!;
    const adminOnly = async (request: FastifyRequest) => {
      if (staff(request).role !== 'admin') throw new HttpError('FORBIDDEN', 'administrators only');
    };
    const api = app.withTypeProvider<ZodTypeProvider>();
    const security = [{ staffToken: [] }];

    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/staff/')) return;
      const actor = authenticate(request.headers.authorization);
      if (!actor) throw new HttpError('UNAUTHORIZED', 'a valid staff bearer token is required');
      // Knowledge console roles (knowledge, reviewer) have no part in the work-order lifecycle.
      if (!(actorRoles as readonly string[]).includes(actor.role)) {
        throw new HttpError('FORBIDDEN', `the ${actor.role} role may use the knowledge console only`);
      }
      request.staff = actor as Actor;
    });

    api.get('/api/staff/me', {
      schema: {
        summary: 'Who the token belongs to',
        tags: ['staff'],
        security,
        response: {
          200: z.object({ name: z.string(), role: z.string(), department: z.string().optional() }),
          401: errorSchema,
        },
      },
      handler: async (request) => staff(request),
    });

    api.get('/api/staff/work-orders', {
      schema: {
        summary: 'List and filter work orders (a handler sees only orders of their department)',
        tags: ['staff'],
        security,
        querystring: listQuery,
        response: { 200: z.object({ total: z.number().int(), items: z.array(orderSchema) }), ...errors },
      },
      handler: async (request) => {
        const q = request.query;
        const due = q.overdue === 'true' ? ['red' as const] : q.due;
        const result = await minsheng.workOrders.list(
          {
            ...(q.status ? { status: q.status } : {}),
            ...(q.department ? { department: q.department } : {}),
            ...(q.district ? { district: q.district } : {}),
            ...(due ? { dueState: due } : {}),
            ...(q.text ? { text: q.text } : {}),
            limit: q.limit,
            offset: q.offset,
          },
          staff(request),
        );
        return { total: result.total, items: result.items.map(serialise) };
      },
    });

    api.get('/api/staff/work-orders/:code', {
      schema: {
        summary: 'One work order with its full history',
        tags: ['staff'],
        security,
        params: codeParams,
        response: { 200: orderSchema, ...errors },
      },
      handler: async (request) => serialise(await minsheng.workOrders.get(request.params.code, staff(request))),
    });

    api.post('/api/staff/work-orders/:code/actions', {
      schema: {
        summary: 'Take a lifecycle action (dispatch, sign, start, return, reassign, resolve, reopen, close, rate)',
        tags: ['staff'],
        security,
        params: codeParams,
        body: actionBody,
        response: { 200: orderSchema, ...errors },
      },
      handler: async (request) => {
        const { action, ...input } = request.body;
        return serialise(await minsheng.workOrders.act(request.params.code, action, staff(request), input));
      },
    });

    api.post('/api/staff/work-orders/:code/notes', {
      schema: {
        summary: 'Add a progress note; citizenVisible notes are sent to the citizen',
        tags: ['staff'],
        security,
        params: codeParams,
        body: noteBody,
        response: { 200: orderSchema, ...errors },
      },
      handler: async (request) => {
        const { note, citizenVisible } = request.body;
        const view = await minsheng.workOrders.addNote(request.params.code, staff(request), note, citizenVisible);
        return serialise(view);
      },
    });

    api.get('/api/staff/catalogue', {
      schema: {
        summary: 'The dispatch catalogue in use: category tree leaves, districts and rules',
        tags: ['staff'],
        security,
        response: { 200: z.record(z.string(), z.unknown()), 401: errorSchema },
      },
      handler: async () => {
        const catalogue = minsheng.workOrders.catalogue;
        if (!catalogue) return {};
        return {
          city: catalogue.city,
          categories: categoryLeaves(catalogue),
          districts: catalogue.districts,
          departments: catalogueDepartments(catalogue),
          rules: catalogue.rules,
          deadlines: catalogue.deadlines,
        };
      },
    });

    api.post('/api/staff/outbox/:id/retry', {
      schema: {
        summary: 'Queue a failed delivery again (administrators only)',
        tags: ['staff', 'admin'],
        security,
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: {
          200: z.object({ requeued: z.literal(true) }),
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
      preHandler: adminOnly,
      handler: async (request, reply) => {
        if (await minsheng.notifier.requeue(request.params.id)) return { requeued: true as const };
        return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no failed delivery with this id' } });
      },
    });

    api.get('/api/staff/outbox', {
      schema: {
        summary: 'Delivery records of citizen updates (administrators only)',
        tags: ['staff', 'admin'],
        security,
        querystring: z.object({
          status: z.enum(['pending', 'delivered', 'failed']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                workOrder: z.string(),
                kind: z.string(),
                channel: z.string(),
                status: z.string(),
                attempts: z.number().int(),
                lastError: z.string().nullable(),
                deliveredVia: z.string().nullable(),
                deliveredAt: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
          401: errorSchema,
          403: errorSchema,
        },
      },
      preHandler: adminOnly,
      handler: async (request) => {
        const rows = await minsheng.db.outboxMessage.findMany({
          where: request.query.status ? { status: request.query.status } : {},
          orderBy: { id: 'desc' },
          take: request.query.limit,
          include: { workOrder: { select: { code: true } } },
        });
        return {
          items: rows.map((r) => ({
            id: r.id,
            workOrder: r.workOrder.code,
            kind: r.kind,
            channel: r.channel,
            status: r.status,
            attempts: r.attempts,
            lastError: r.lastError,
            deliveredVia: r.deliveredVia,
            deliveredAt: iso(r.deliveredAt),
            createdAt: r.createdAt.toISOString(),
          })),
        };
      },
    });
  };
