import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Every error code the HTTP API answers with, in one place. */
export const errorCodes = {
  INVALID_REQUEST: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof errorCodes;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: { path: string; message: string }[] };
}

const codeForStatus = (status: number): ErrorCode =>
  status === 404
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

/** One handler maps every failure to a JSON body; 5xx bodies never carry internals. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
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
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(status).send({ error: { code: codeForStatus(status), message: 'Internal server error' } });
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
