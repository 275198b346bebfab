import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldLabels, validityDay } from '../../knowledge/entry-content.js';
import { exportEntries, exportFormats } from '../../knowledge/sheet-export.js';
import {
  guessMapping,
  importFields,
  mapRows,
  maxImportBytes,
  maxImportRows,
  readSheet,
  requiredFields,
  type ColumnMapping,
} from '../../knowledge/sheet-import.js';
import type { Minsheng } from '../composition.js';
import { consoleUser, requireConsoleRole } from '../console-session.js';
import { entryFilterQuery, toEntryFilter } from './console-entries.js';

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const issueSchema = z.object({ line: z.number().int(), messages: z.array(z.string()) });
const previewLimit = 100;
const issueLimit = 1000;

const mappingSchema = z
  .string()
  .max(2000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'mapping must be JSON: {"question": 0, "answer": 2, ...}' });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(importFields as [string, ...string[]]), z.number().int().min(0).max(500)))
  .optional()
  .describe('JSON object: field → column index (0-based); guessed from the headers when omitted');

const importQuery = z.object({
  filename: z.string().max(300).default(''),
  mapping: mappingSchema,
});

/**
 * What a preview looked at: the file's bytes, its format and the column mapping used. Apply given the
 * preview's value refuses anything else, so the manager confirms exactly the rows they were shown.
 */
const previewHashOf = (file: Buffer, format: string, mapping: ColumnMapping) =>
  createHash('sha256')
    .update(file)
    .update(`\n${format}\n`)
    .update(JSON.stringify(Object.entries(mapping).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex');

/**
 * Import and export for the console. An import is two calls with the same file: preview (nothing
 * is written; the mapping, a sample and every row error come back) and apply (the valid rows, once
 * the manager confirmed). Both are stateless, so any instance can answer either.
 */
export const consoleImportRoutes =
  (minsheng: Minsheng, timeZone: string): FastifyPluginAsync =>
  async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['console'];
    const editors = requireConsoleRole(['knowledge', 'admin']);
    app.addContentTypeParser(
      [
        'application/octet-stream',
        'text/csv',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/x-ndjson',
      ],
      { parseAs: 'buffer', bodyLimit: maxImportBytes },
      (_request, body, done) => done(null, body),
    );

    const analyse = async (file: Buffer, filename: string, chosen: ColumnMapping | undefined) => {
      const sheet = await readSheet(file, filename);
      const mapping = chosen ?? guessMapping(sheet.headers);
      const existingQuestions = await minsheng.entries.questionOwners();
      return {
        sheet,
        mapping,
        mapped: mapRows(sheet, mapping, timeZone, { existingQuestions }),
        previewHash: previewHashOf(file, sheet.format, mapping),
      };
    };
    const fileOf = (body: unknown) => {
      if (!Buffer.isBuffer(body) || body.length === 0) {
        const error = new Error('请上传文件（xlsx、csv 或 jsonl）') as Error & { statusCode: number };
        error.statusCode = 400;
        throw error;
      }
      return body;
    };

    api.post('/api/console/import/preview', {
      schema: {
        summary: `Read an xlsx, CSV or JSONL file (at most ${maxImportBytes / 1024 / 1024} MiB, ${maxImportRows} rows) and report what an import would do`,
        description: 'Body: the file bytes (Content-Type application/octet-stream). Writes nothing.',
        tags,
        querystring: importQuery,
        response: {
          200: z.object({
            format: z.enum(['xlsx', 'csv', 'jsonl']),
            headers: z.array(z.string()),
            mapping: z.record(z.string(), z.number().int()),
            fields: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean() })),
            total: z.number().int(),
            validCount: z.number().int(),
            errorCount: z.number().int(),
            previewHash: z
              .string()
              .describe('SHA-256 of the file and the mapping previewed; give it to apply to import exactly this'),
            problems: z.array(z.string()),
            errors: z.array(issueSchema),
            warnings: z.array(issueSchema),
            sample: z.array(
              z.object({ line: z.number().int(), id: z.string().optional(), question: z.string(), answer: z.string() }),
            ),
          }),
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          413: errorSchema,
        },
      },
      bodyLimit: maxImportBytes,
      preHandler: editors,
      handler: async (request) => {
        const { sheet, mapping, mapped, previewHash } = await analyse(
          fileOf(request.body),
          request.query.filename,
          request.query.mapping,
        );
        return {
          format: sheet.format,
          headers: sheet.headers,
          mapping: mapping as Record<string, number>,
          fields: importFields.map((key) => ({ key, label: fieldLabels[key], required: requiredFields.includes(key) })),
          total: sheet.rows.length,
          validCount: mapped.valid.length,
          errorCount: mapped.errors.length,
          previewHash,
          problems: mapped.problems,
          errors: mapped.errors.slice(0, issueLimit),
          warnings: mapped.warnings.slice(0, issueLimit),
          sample: mapped.valid.slice(0, previewLimit).map((r) => ({
            line: r.line,
            ...(r.id ? { id: r.id } : {}),
            question: r.content.question,
            answer: r.content.answer,
          })),
        };
      },
    });

    api.post('/api/console/import/apply', {
      schema: {
        summary: 'Apply the valid rows of a previewed file (idempotent: keyed by id, or by question without one)',
        description:
          'Same body and mapping as the preview. New entries become drafts, changed ones get a working draft; publish=true (administrators) publishes them at once.',
        tags,
        querystring: importQuery.extend({
          publish: z.enum(['true', 'false']).default('false'),
          previewHash: z
            .string()
            .regex(/^[0-9a-f]{64}$/)
            .optional()
            .describe("the preview's previewHash: a different file or mapping is refused (400) instead of imported"),
        }),
        response: {
          200: z.object({
            created: z.number().int(),
            updated: z.number().int(),
            unchanged: z.number().int(),
            invalid: z.number().int(),
            skipped: z.array(z.object({ line: z.number().int(), id: z.string(), reason: z.string() })),
            ids: z.array(z.string()),
          }),
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          409: errorSchema,
          413: errorSchema,
        },
      },
      bodyLimit: maxImportBytes,
      preHandler: editors,
      handler: async (request, reply) => {
        const { mapped, previewHash } = await analyse(
          fileOf(request.body),
          request.query.filename,
          request.query.mapping,
        );
        if (request.query.previewHash && request.query.previewHash !== previewHash) {
          return reply.status(400).send({
            error: { code: 'INVALID_REQUEST', message: '上传的文件或列对应与预览时不同，请重新预览后再确认导入' },
          });
        }
        if (mapped.problems.length) {
          return reply.status(400).send({ error: { code: 'INVALID_REQUEST', message: mapped.problems.join('；') } });
        }
        const user = consoleUser(request);
        const result = await minsheng.entries.importRows(mapped.valid, user, {
          publish: request.query.publish === 'true',
        });
        request.log.info(
          {
            user: user.name,
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            invalid: mapped.errors.length,
          },
          'knowledge import applied',
        );
        return { ...result, invalid: mapped.errors.length };
      },
    });

    api.get('/api/console/export', {
      schema: {
        summary: 'Export the whole knowledge base or the filtered entries as xlsx, CSV or JSONL',
        tags,
        querystring: entryFilterQuery.extend({ format: z.enum(exportFormats).default('xlsx') }),
      },
      preHandler: requireConsoleRole(),
      handler: async (request, reply) => {
        const { format, ...filter } = request.query;
        const rows = await minsheng.entries.exportRows(toEntryFilter(filter));
        const body = await exportEntries(rows, format, timeZone);
        // Named by the hotline's day, as the console shows dates.
        const stamp = validityDay(new Date().toISOString(), timeZone);
        const types = {
          xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          csv: 'text/csv; charset=utf-8',
          jsonl: 'application/x-ndjson; charset=utf-8',
        };
        return reply
          .type(types[format])
          .header('content-disposition', `attachment; filename="minsheng-kb-${stamp}.${format}"`)
          .header('cache-control', 'no-store')
          .send(body);
      },
    });
  };
