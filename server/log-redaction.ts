import { maskPhonesInText } from '../personal-data/phone.js';

const SECRET_KEYS = /^(authorization|cookie|password|token|secret|contactphone|phone)$/i;

/**
 * Masks phone numbers in every string of a log record and hides secret fields, so that logs
 * never carry a citizen's full number whatever a caller puts in them.
 */
export function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhonesInText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactLogValue(v, depth + 1));
  // Requests, responses and other class instances are left to their serializers.
  const proto = Object.getPrototypeOf(value);
  if (!(value instanceof Error) && proto !== Object.prototype && proto !== null) return value;
  if (value instanceof Error)
    return {
      type: value.name,
      message: maskPhonesInText(value.message),
      stack: value.stack && maskPhonesInText(value.stack),
    };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) && typeof v === 'string' ? '[redacted]' : redactLogValue(v, depth + 1);
  }
  return out;
}

/** Request serializer for logs: method and path only, query strings masked. */
export function serializeRequest(request: { method: string; url: string; ip?: string }): Record<string, unknown> {
  // Channel webhooks carry signatures, tokens and OpenIDs in the query: log the path only.
  const url = request.url.startsWith('/channels/') ? request.url.split('?')[0]! : request.url;
  return { method: request.method, url: maskPhonesInText(url), remoteAddress: request.ip };
}
