import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { WebhookQuery, WebhookResponse } from '../../channels/wechat/webhook.js';
import { MAX_XML_BYTES } from '../../channels/wechat/xml.js';

/** The XML callback of a WeChat-family webhook (official account or WeCom). */
export interface XmlWebhook {
  verifyUrl(query: WebhookQuery): WebhookResponse | Promise<WebhookResponse>;
  receive(query: WebhookQuery, body: string): Promise<WebhookResponse>;
}

const send = (reply: FastifyReply, response: WebhookResponse) =>
  reply.status(response.status).type(`${response.contentType}; charset=utf-8`).send(response.body);

/** `GET|POST {path}`: URL verification and message callbacks, bodies read as raw XML text. */
export const xmlWebhookRoutes =
  (path: string, webhook: XmlWebhook, summary: string): FastifyPluginAsync =>
  async (app) => {
    // Encapsulated: these parsers only apply to this plugin's routes.
    app.addContentTypeParser(
      ['text/xml', 'application/xml', 'text/plain'],
      { parseAs: 'string', bodyLimit: MAX_XML_BYTES },
      (_request, body, done) => done(null, body),
    );
    app.get(path, { schema: { summary: `${summary}: URL verification`, tags: ['channels'] } }, (request, reply) =>
      Promise.resolve(webhook.verifyUrl(request.query as WebhookQuery)).then((r) => send(reply, r)),
    );
    app.post(
      path,
      { schema: { summary: `${summary}: message callback`, tags: ['channels'] } },
      async (request, reply) => {
        const body = typeof request.body === 'string' ? request.body : '';
        return send(reply, await webhook.receive(request.query as WebhookQuery, body));
      },
    );
  };
