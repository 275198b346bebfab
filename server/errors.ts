import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { EntryWorkflowError, type EntryWorkflowErrorCode } from '../knowledge/entry-workflow.js';
import { LearningError, learningErrorStatus, type LearningErrorCode } from '../knowledge/learning/learning-errors.js';
import { WorkOrderError, type WorkOrderErrorCode } from '../workorders/errors.js';

/** Every error code the HTTP API answers with, in one place. */
export const errorCodes = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

/** HTTP status of each work-order error (codes listed in workorders/errors.ts). */
export const workOrderErrorStatus: Record<WorkOrderErrorCode, number> = {
  WORK_ORDER_NOT_FOUND: 404,
  ILLEGAL_TRANSITION: 409,
  ACTION_NOT_PERMITTED: 403,
  DEPARTMENT_MISMATCH: 403,
  WORK_ORDER_CONFLICT: 409,
  WORK_ORDER_MERGED: 409,
  INVALID_ACTION_INPUT: 400,
};
/** HTTP status of each knowledge console workflow error (knowledge/entry-workflow.ts). */
export const entryWorkflowErrorStatus: Record<EntryWorkflowErrorCode, number> = {
  ENTRY_NOT_FOUND: 404,
  ENTRY_ACTION_NOT_PERMITTED: 403,
  ILLEGAL_ENTRY_TRANSITION: 409,
  ENTRY_CONFLICT: 409,
  INVALID_ENTRY: 400,
};
export type ErrorCode = keyof typeof errorCodes | WorkOrderErrorCode | EntryWorkflowErrorCode | LearningErrorCode;

/** A refusal of the HTTP layer itself (authentication, authorisation). */
export class HttpError extends Error {
  constructor(
    readonly code: 'UNAUTHORIZED' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: { path: string; message: string }[] };
}

const codeForStatus = (status: number): ErrorCode =>
  status === 401
    ? 'UNAUTHORIZED'
    : status === 403
      ? 'FORBIDDEN'
      : status === 404
        ? 'NOT_FOUND'
        : status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : status === 429
              ? 'RATE_LIMITED'
              : status === 503
                ? 'SERVICE_UNAVAILABLE'
                : status >= 500
                  ? 'INTERNAL_ERROR'
                  : 'INVALID_REQUEST';

/**
 * Whether a failure is the database being out of reach (down, restarting, network): a 503 that
 * says so, not a 500 that looks like a bug. Prisma's codes, or the driver's socket errors in the
 * cause chain.
 */
export function databaseUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      /^(P1001|P1002|P1008|P1017|P2024|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P01|57P03)$/.test(code)
    )
      return true;
    const name = (e as { name?: unknown }).name;
    if (name === 'PrismaClientInitializationError') return true;
    const message = e instanceof Error ? e.message : '';
    if (
      /Can't reach database server|Connection terminated|connect ECONNREFUSED|server closed the connection/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/** One handler maps every failure to a JSON body; 5xx bodies never carry internals. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof WorkOrderError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      return reply.status(workOrderErrorStatus[error.code]).send(body);
    }
    if (error instanceof LearningError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      return reply.status(learningErrorStatus[error.code]).send(body);
    }
    if (error instanceof EntryWorkflowError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      return reply.status(entryWorkflowErrorStatus[error.code]).send(body);
    }
    if (error instanceof HttpError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer');
      return reply.status(errorCodes[error.code]).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message ?? 'invalid',
      }));
      const body: ErrorBody = {
        error: { code: 'INVALID_REQUEST', message: details.map((d) => `${d.path}: ${d.message}`).join('; '), details },
      };
      return reply.status(400).send(body);
    }
    const unreachable = databaseUnreachable(error);
    const status = unreachable ? 503 : error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, unreachable ? 'request failed: database unreachable' : 'request failed');
      // The web chat's own requests get words a citizen can read; the widget shows its own text too.
      const message = request.url.startsWith('/api/chat')
        ? '服务暂时不可用，请稍后再试，或拨打12345热线。'
        : unreachable
          ? 'Service unavailable: the database cannot be reached'
          : 'Internal server error';
      return reply.status(status).send({ error: { code: codeForStatus(status), message } });
    }
    return reply.status(status).send({ error: { code: codeForStatus(status), message: error.message } });
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: 'NOT_FOUND', message: `Route ${request.method} ${request.url.split('?')[0]} not found` },
    };
    return reply.status(404).send(body);
  });
}
