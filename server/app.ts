import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { NotificationSender } from '../workorders/notification.js';
import { maskPhonesInText } from '../personal-data/phone.js';
import type { Config } from './config.js';
import { connectChannelsToOutbox } from './channel-notification-senders.js';
import { channelRoutes, startChannels, type Channels } from './channels.js';
import { startMinsheng, type Minsheng } from './composition.js';
import { registerErrorHandlers } from './errors.js';
import { redactLogValue, serializeRequest } from './log-redaction.js';
import { ConsoleSessions } from './console-session.js';
import { FailureThrottle, staffAuthenticator } from './staff-auth.js';
import { chatRoutes } from './routes/chat.js';
import { consoleAuthRoutes } from './routes/console-auth.js';
import { consoleEntryRoutes } from './routes/console-entries.js';
import { consoleImportRoutes } from './routes/console-import.js';
import { consolePageRoutes } from './routes/console-pages.js';
import { healthRoutes } from './routes/health.js';
import { answerFeedbackRoutes, learningRoutes } from './routes/learning.js';
import { staffRoutes } from './routes/staff.js';
import { registerWebChatCors } from './routes/web-chat-cors.js';
import { webChatSocketRoutes } from './routes/web-chat-socket.js';
import { webPageRoutes } from './routes/web-page.js';

export interface AppOptions {
  config: Config;
  /** Where logs go (stdout by default); tests pass a stream to read them. */
  logStream?: DestinationStream;
  /** Work-order update senders of other channels ("sms" is the fallback); tests pass recording ones. */
  notificationSenders?: NotificationSender[];
}

declare module 'fastify' {
  interface FastifyInstance {
    minsheng: Minsheng;
    channels: Channels;
  }
}

/** Builds the HTTP application without listening, so tests can use inject(). */
export async function buildApp({ config, logStream, notificationSenders }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      serializers: { req: serializeRequest },
      formatters: { log: (record) => redactLogValue(record) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskPhonesInText(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    bodyLimit: 64 * 1024,
    disableRequestLogging: false,
    // TRUST_PROXY: request.ip and request.protocol from X-Forwarded-* of the configured proxies only.
    trustProxy: typeof config.trustProxy === 'object' ? [...config.trustProxy] : config.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  throttleBearerFailures(app, config);

  const minsheng = await startMinsheng(config, app.log, { notificationSenders });
  app.decorate('minsheng', minsheng);
  const channels = await startChannels(minsheng, config, app.log);
  app.decorate('channels', channels);
  const consoleSessions = new ConsoleSessions(minsheng.db, config.staffTokens, config.consoleSessionMs);
  app.decorate('consoleSessions', consoleSessions);
  connectChannelsToOutbox(minsheng, channels);
  app.addHook('onClose', async () => {
    await channels.settled();
    await minsheng.close();
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Minsheng (民声) API',
        description: 'Assistant for the 12345 government service hotline',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { staffToken: { type: 'http', scheme: 'bearer', description: 'a token of STAFF_API_TOKENS' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(webPageRoutes);
  await app.register(healthRoutes(minsheng));
  await app.register(staffRoutes(minsheng, config.staffTokens));
  await app.register(consoleAuthRoutes(consoleSessions, config.timeZone));
  await app.register(consoleEntryRoutes(minsheng, config.timeZone));
  await app.register(consoleImportRoutes(minsheng, config.timeZone));
  await app.register(consolePageRoutes);
  await app.register(learningRoutes(minsheng, config.timeZone));
  registerWebChatCors(app, config.channels.webChatAllowedOrigins);
  await app.register(fastifyWebsocket, { options: { maxPayload: 16 * 1024 } });
  await app.register(chatRoutes(minsheng.engine, channels.webChat));
  await app.register(answerFeedbackRoutes(minsheng));
  await app.register(webChatSocketRoutes(minsheng.engine, channels.webChat));
  await app.register(channelRoutes(channels));
  return app;
}

const hasBearer = (authorization: string | undefined) => /^Bearer\s/i.test(authorization ?? '');

/**
 * Ten refused bearer tokens from one client in ten minutes (as for console logins) and its next
 * wrong tokens are answered 429 with Retry-After, on every route; a valid token is never slowed.
 * A failure is a 401 answered to a request whose bearer token matches no configured token.
 */
function throttleBearerFailures(app: FastifyInstance, config: Config): void {
  const failures = new FailureThrottle({ limit: 10, windowMs: 10 * 60_000 });
  const authenticate = staffAuthenticator(config.staffTokens);
  app.addHook('onRequest', async (request, reply) => {
    const { authorization } = request.headers;
    if (!hasBearer(authorization)) return;
    const wait = failures.retryAfterSeconds(request.ip);
    if (wait === 0 || authenticate(authorization)) return;
    request.log.warn({ ip: request.ip }, 'bearer token refused: too many failures from this client');
    return reply
      .status(429)
      .header('retry-after', String(wait))
      .send({
        error: {
          code: 'RATE_LIMITED',
          message: `too many invalid bearer tokens from this address; try again in ${wait} seconds`,
        },
      });
  });
  // onSend, not onResponse: counted before the client sees the 401, so its next request is judged on it.
  app.addHook('onSend', async (request, reply, payload) => {
    const { authorization } = request.headers;
    if (reply.statusCode === 401 && hasBearer(authorization) && !authenticate(authorization)) {
      failures.record(request.ip);
    }
    return payload;
  });
}
