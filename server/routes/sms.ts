import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  aliyunAck,
  parseAliyunInbound,
  parseAliyunReports,
  parseTencentInbound,
  parseTencentReports,
  parseTwilioInbound,
  parseTwilioStatus,
  tencentAck,
  twiml,
  verifyTwilioSignature,
  type InboundSms,
} from '../../channels/sms/inbound.js';
import type { DeliveryReceiptLog } from '../../channels/sms/provider.js';
import type { SmsSendQueue } from '../../channels/sms/send-queue.js';
import type { SmsChannel } from '../../channels/sms/sms-channel.js';
import { smsTexts } from '../../channels/sms/texts.js';

export interface SmsRouteOptions {
  channel: SmsChannel;
  receipts: DeliveryReceiptLog;
  /** Sends answers of gateways that cannot answer in the webhook response (Aliyun, Tencent). */
  queue?: SmsSendQueue;
  /** Mounts /aliyun and /tencent, which must carry ?token= (those gateways do not sign). */
  webhookToken?: string;
  twilio?: { authToken: string; publicBaseUrl?: string };
}

const MAX_BODY = 64 * 1024;

const sameToken = (expected: string, given: unknown) => {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
};

const refuse = (reply: FastifyReply, status: number, message: string) =>
  reply
    .status(status)
    .send({ error: { code: status === 401 ? 'WEBHOOK_SIGNATURE_INVALID' : 'INVALID_REQUEST', message } });

/** SMS gateway webhooks under /channels/sms: inbound messages and delivery receipts. */
export const smsRoutes =
  (options: SmsRouteOptions): FastifyPluginAsync =>
  async (app) => {
    const { channel, receipts, queue } = options;
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: MAX_BODY },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    const answerLater = async (messages: InboundSms[], request: FastifyRequest) => {
      for (const sms of messages) {
        const answer = await channel.receive(sms);
        if (!answer) continue;
        if (queue) queue.enqueue({ phone: sms.phone, template: 'reply', params: { content: answer.text } });
        else request.log.warn({ provider: sms.provider }, 'no outbound SMS provider configured: answer not sent');
      }
    };

    const webhookToken = options.webhookToken;
    if (webhookToken) {
      const guarded = (request: FastifyRequest) => sameToken(webhookToken, (request.query as { token?: string }).token);
      const post = (path: string, summary: string, handler: (request: FastifyRequest) => Promise<object | string>) =>
        app.post(path, { schema: { summary, tags: ['channels'] }, bodyLimit: MAX_BODY }, async (request, reply) => {
          if (!guarded(request)) return refuse(reply, 401, 'missing or wrong token');
          const result = await handler(request);
          return typeof result === 'string' ? refuse(reply, 400, result) : result;
        });

      post('/channels/sms/aliyun', 'Alibaba Cloud SMS: inbound messages (上行)', async (request) => {
        const parsed = parseAliyunInbound(request.body);
        if (!parsed.ok) return parsed.problem;
        // Acknowledged with the rest (Aliyun would resend the whole batch), so logged for the operator.
        if (parsed.skipped)
          request.log.warn({ skipped: parsed.skipped }, 'malformed Aliyun SMS batch elements skipped');
        await answerLater(parsed.value, request);
        return aliyunAck;
      });
      post('/channels/sms/aliyun/report', 'Alibaba Cloud SMS: delivery reports', async (request) => {
        const parsed = parseAliyunReports(request.body);
        if (!parsed.ok) return parsed.problem;
        await receipts.record(parsed.value);
        return aliyunAck;
      });
      post('/channels/sms/tencent', 'Tencent Cloud SMS: inbound replies', async (request) => {
        const parsed = parseTencentInbound(request.body);
        if (!parsed.ok) return parsed.problem;
        await answerLater([parsed.value], request);
        return tencentAck;
      });
      post('/channels/sms/tencent/status', 'Tencent Cloud SMS: delivery status', async (request) => {
        const parsed = parseTencentReports(request.body);
        if (!parsed.ok) return parsed.problem;
        await receipts.record(parsed.value);
        return tencentAck;
      });
    }

    const twilio = options.twilio;
    if (twilio) {
      const signed = (request: FastifyRequest) => {
        const base = twilio.publicBaseUrl?.replace(/\/+$/, '') ?? `${request.protocol}://${request.host}`;
        const form = (request.body ?? {}) as Record<string, string>;
        return verifyTwilioSignature(
          twilio.authToken,
          `${base}${request.url}`,
          form,
          request.headers['x-twilio-signature'] as string | undefined,
        );
      };
      app.post(
        '/channels/sms/twilio',
        { schema: { summary: 'Twilio-style SMS webhook', tags: ['channels'] } },
        async (request, reply) => {
          if (!signed(request)) return refuse(reply, 401, 'invalid X-Twilio-Signature');
          const parsed = parseTwilioInbound((request.body ?? {}) as Record<string, string>, new Date());
          if (!parsed.ok) return refuse(reply, 400, parsed.problem);
          let text: string | undefined;
          try {
            text = (await channel.receive(parsed.value))?.text;
          } catch (error) {
            // Twilio does not resend a failed webhook: the citizen is told now, in the only reply there is.
            request.log.error({ err: error }, 'SMS turn failed');
            text = smsTexts.unavailable;
          }
          return reply.type('text/xml; charset=utf-8').send(twiml(text));
        },
      );
      app.post(
        '/channels/sms/twilio/status',
        { schema: { summary: 'Twilio-style status callback', tags: ['channels'] } },
        async (request, reply) => {
          if (!signed(request)) return refuse(reply, 401, 'invalid X-Twilio-Signature');
          const parsed = parseTwilioStatus((request.body ?? {}) as Record<string, string>);
          if (!parsed.ok) return refuse(reply, 400, parsed.problem);
          await receipts.record([parsed.value]);
          return reply.status(204).send();
        },
      );
    }
  };
