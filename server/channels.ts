import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { ChannelMemory } from '../channels/channel-memory.js';
import { WebChatHub } from '../channels/web/web-chat-hub.js';
import { webChatHistoryFrom } from './web-chat-history.js';
import { WechatApiClient } from '../channels/wechat/api-client.js';
import { WechatCustomerServiceSender, WechatUpdateSender } from '../channels/wechat/sender.js';
import { WechatWebhook } from '../channels/wechat/webhook.js';
import { WecomApiClient } from '../channels/wecom/api-client.js';
import { WecomWebhook } from '../channels/wecom/webhook.js';
import { AliyunSmsProvider } from '../channels/sms/aliyun-provider.js';
import { SmsStatusNotifier } from '../channels/sms/notifier.js';
import type { SmsProvider } from '../channels/sms/provider.js';
import { SmsSendQueue } from '../channels/sms/send-queue.js';
import { SmsChannel } from '../channels/sms/sms-channel.js';
import { TencentSmsProvider } from '../channels/sms/tencent-provider.js';
import { TwilioSmsProvider } from '../channels/sms/twilio-provider.js';
import type { Config } from './config.js';
import { smsRoutes, type SmsRouteOptions } from './routes/sms.js';
import { DatabaseDeliveryReceiptLog, DatabaseSmsSuppressionList } from './sms-stores.js';
import { WecomStaffDesk } from './wecom-staff-desk.js';
import { DatabaseChannelMemory } from './channel-memory-store.js';
import type { Minsheng } from './composition.js';
import { xmlWebhookRoutes } from './routes/wechat.js';
import { WechatyBridge } from '../channels/wechaty/wechaty-bridge.js';
import { WechatyUpdateSender } from '../channels/wechaty/update-sender.js';
import type { WechatyInstance } from '../channels/wechaty/wechaty-launcher.js';
import { LateReplyOutbox } from './late-reply-outbox.js';
import { RedisSendSlots } from './redis-sms-send-slots.js';
import { RedisWebChatRelay } from './redis-web-chat-relay.js';
import { outboxResultOf } from './wechat-delivery.js';

/** The channel adapters that are configured, for routes and for later delivery (outbox). */
export interface Channels {
  memory: ChannelMemory;
  /** Open web chat pages; `webChat.pushToSession(sessionId, reply)` delivers work-order updates. */
  webChat: WebChatHub;
  /**
   * `sender` sends customer-service messages; `updates` sends work-order updates (customer-service
   * message, else the operator's template message when the 48-hour window is closed).
   */
  wechat?: {
    webhook: WechatWebhook;
    sender?: WechatCustomerServiceSender;
    updates?: WechatUpdateSender;
    client?: WechatApiClient;
  };
  /** Answers that missed a callback's reply budget, delivered later with retries (WeChat). */
  lateReplies: LateReplyOutbox;
  /** `client.sendText(userIds, text)` pushes new-order notices to handlers. */
  wecom?: { webhook: WecomWebhook; client?: WecomApiClient };
  /** `notifier.notifyStatus(phone, code, status)` sends work-order updates by SMS. */
  sms?: { routes: SmsRouteOptions; queue?: SmsSendQueue; notifier?: SmsStatusNotifier };
  /** A WeChat/WeCom account driven by a wechaty puppet (optional package). */
  wechaty?: { bridge: WechatyBridge; wechaty: WechatyInstance; updates: WechatyUpdateSender };
  /** Waits for answers still being delivered later (shutdown and tests). */
  settled(): Promise<void>;
}

/** Builds every configured channel; each one left unconfigured says so once in the log. */
export async function startChannels(minsheng: Minsheng, appConfig: Config, log: FastifyBaseLogger): Promise<Channels> {
  const config = appConfig.channels;
  const memory = new DatabaseChannelMemory(minsheng.db);
  const handle = (message: Parameters<Minsheng['engine']['handle']>[0]) => minsheng.engine.handle(message);
  const lateReplyLog = log.child({ component: 'late-replies' });
  const lateReplies = new LateReplyOutbox(minsheng.db, {
    senders: [],
    onAttempt: ({ id, channel, attempts, result }) =>
      lateReplyLog[result.outcome === 'delivered' ? 'info' : 'warn'](
        { lateReplyId: id, channel, attempts, ...result },
        'late answer delivery',
      ),
    onError: (err) => lateReplyLog.error({ err }, 'late answer delivery round failed'),
  });
  const webChat = new WebChatHub();
  webChat.useHistorySource(webChatHistoryFrom(minsheng.db));
  // Several instances: a push reaches the page whichever instance it is connected to.
  const relay =
    appConfig.redisUrl &&
    (await RedisWebChatRelay.connect({
      url: appConfig.redisUrl,
      keyPrefix: appConfig.redisKeyPrefix,
      hub: webChat,
      onError: (err) => log.warn({ err }, 'web chat relay message dropped'),
    }));
  if (relay) webChat.useRelay(relay);
  const channels: Channels = {
    memory,
    webChat,
    lateReplies,
    settled: async () => {
      clearInterval(purge);
      await channels.wechat?.webhook.settled();
      await lateReplies.stop();
      await channels.sms?.queue?.idle();
      if (channels.wechaty) {
        channels.wechaty.bridge.detach();
        await channels.wechaty.bridge.settled();
        await channels.wechaty.wechaty.stop().catch((err: unknown) => log.warn({ err }, 'wechaty did not stop'));
      }
      // Last: pushes still being delivered above may need it.
      if (relay) await relay.close();
    },
  };
  const purge = setInterval(() => {
    void memory.purgeExpired().catch((err: unknown) => log.warn({ err }, 'channel memory purge failed'));
    void lateReplies
      .purgeDelivered(7 * 24 * 3600_000)
      .catch((err: unknown) => log.warn({ err }, 'late answer purge failed'));
  }, 15 * 60_000).unref();

  if (config.wechat) {
    const { token, appId, appSecret, encodingAesKey, apiBase, replyBudgetMs, workOrderTemplate } = config.wechat;
    const client = appId && appSecret ? new WechatApiClient({ appId, appSecret, baseUrl: apiBase }) : undefined;
    const sender = client && new WechatCustomerServiceSender(client);
    const updates =
      client &&
      sender &&
      new WechatUpdateSender(
        client,
        sender,
        workOrderTemplate && { ...workOrderTemplate, timeZone: appConfig.timeZone },
      );
    if (sender) {
      lateReplies.addSender({
        channel: 'wechat',
        deliver: async (openId, replies) => outboxResultOf(await sender.send(openId, replies)),
      });
    }
    const webhook = new WechatWebhook({
      token,
      appId,
      encodingAesKey,
      handle,
      deferReply:
        sender &&
        (async ({ key, openId, sessionId, replies }) => {
          await lateReplies.enqueue({ key, channel: 'wechat', recipient: openId, sessionId, replies });
        }),
      // Best effort: "对方正在输入" while a slow answer is prepared.
      onLate: client && ((openId) => client.setTyping(openId, true)),
      memory,
      replyBudgetMs,
      maxClockSkewSeconds: config.webhookMaxSkewSeconds,
      log: log.child({ channel: 'wechat' }),
    });
    channels.wechat = { webhook, sender, updates, client };
    log.info(
      { safeMode: !!encodingAesKey, customerService: !!client, workOrderTemplate: !!workOrderTemplate },
      'WeChat channel on at /channels/wechat',
    );
    if (!client)
      log.warn('WeChat customer-service API off (WECHAT_APP_ID/WECHAT_APP_SECRET unset): late answers are lost');
  } else {
    log.info('WeChat channel off (WECHAT_TOKEN unset)');
  }

  if (config.wecom) {
    const { token, encodingAesKey, corpId, secret, agentId, apiBase } = config.wecom;
    const desk = new WecomStaffDesk(minsheng.db, appConfig.timeZone);
    const webhook = new WecomWebhook({
      token,
      encodingAesKey,
      corpId,
      handle: (message) => desk.answer(message),
      memory,
      maxClockSkewSeconds: config.webhookMaxSkewSeconds,
      log: log.child({ channel: 'wecom' }),
    });
    const client = secret && agentId ? new WecomApiClient({ corpId, secret, agentId, baseUrl: apiBase }) : undefined;
    channels.wecom = { webhook, client };
    log.info({ notices: !!client }, 'WeCom channel on at /channels/wecom');
  } else {
    log.info('WeCom channel off (WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_CORP_ID unset)');
  }

  const sms = config.sms;
  if (sms.webhookToken || sms.twilio) {
    const suppression = new DatabaseSmsSuppressionList(minsheng.db);
    const smsLog = log.child({ channel: 'sms' });
    const provider: SmsProvider | undefined = sms.aliyun
      ? new AliyunSmsProvider({
          ...sms.aliyun,
          templates: { reply: sms.aliyun.replyTemplate, status: sms.aliyun.statusTemplate },
          baseUrl: sms.aliyun.apiBase,
          maxSegments: sms.maxSegments,
        })
      : sms.tencent
        ? new TencentSmsProvider({
            ...sms.tencent,
            templates: { reply: sms.tencent.replyTemplate, status: sms.tencent.statusTemplate },
            baseUrl: sms.tencent.apiBase,
            maxSegments: sms.maxSegments,
          })
        : sms.twilio?.from
          ? new TwilioSmsProvider({
              ...sms.twilio,
              from: sms.twilio.from,
              baseUrl: sms.twilio.apiBase,
              maxSegments: sms.maxSegments,
            })
          : undefined;
    const queue =
      provider &&
      new SmsSendQueue({
        provider,
        minIntervalMs: sms.minIntervalMs,
        // Shared with the other instances when there are several, so a number's limit holds for all of them.
        ...(minsheng.redis ? { slots: new RedisSendSlots(minsheng.redis) } : {}),
        onSlotError: (err) => smsLog.warn({ err }, 'SMS send slot not reserved; retrying'),
        onResult: (message, { result, error }) =>
          error
            ? smsLog.warn({ template: message.template, err: error }, 'SMS not sent')
            : smsLog.info({ template: message.template, messageId: result?.messageId }, 'SMS sent'),
      });
    const signName = (sms.aliyun ?? sms.tencent)?.signName;
    const channel = new SmsChannel({
      handle,
      memory,
      suppression,
      // 【12345热线】-sized signature by default; answers use at most SMS_SEGMENTS_MAX segments.
      render: {
        maxSegments: sms.maxSegments,
        signatureLength: signName ? [...signName].length + 2 : 0,
      },
    });
    channels.sms = {
      routes: {
        channel,
        receipts: new DatabaseDeliveryReceiptLog(minsheng.db),
        queue,
        webhookToken: sms.webhookToken,
        twilio: sms.twilio && { authToken: sms.twilio.authToken, publicBaseUrl: sms.publicBaseUrl },
      },
      queue,
      notifier: queue && new SmsStatusNotifier(queue, suppression),
    };
    log.info(
      { aliyunTencentWebhooks: !!sms.webhookToken, twilioWebhook: !!sms.twilio, outbound: provider?.name ?? 'none' },
      'SMS channel on at /channels/sms',
    );
  } else {
    log.info('SMS channel off (SMS_WEBHOOK_TOKEN and TWILIO_AUTH_TOKEN unset)');
  }

  if (config.wechaty) {
    const wechatyLog = log.child({ channel: 'wechaty' });
    // Imported only when configured: wechaty is an optional dependency.
    const { buildWechaty } = await import('../channels/wechaty/wechaty-launcher.js');
    const wechaty = await buildWechaty(config.wechaty);
    const bridge = new WechatyBridge({ wechaty, handle, memory, log: wechatyLog });
    bridge.attach();
    wechaty.on('scan', (qrcode: string, status: number) =>
      wechatyLog.info({ status, qrcode }, 'wechaty: scan the QR code to log in'),
    );
    wechaty.on('login', (user: { id: string }) => wechatyLog.info({ userId: user.id }, 'wechaty: logged in'));
    wechaty.on('error', (err: Error) => wechatyLog.warn({ err }, 'wechaty error'));
    channels.wechaty = { bridge, wechaty, updates: new WechatyUpdateSender(wechaty, memory) };
    // Logging in can take as long as someone needs to scan a QR code: the server does not wait for it.
    void wechaty.start().catch((err: unknown) => wechatyLog.error({ err }, 'wechaty did not start'));
    log.info({ puppet: config.wechaty.puppet }, 'wechaty bridge on');
  } else {
    log.info('wechaty bridge off (WECHATY_PUPPET unset)');
  }
  lateReplies.start(appConfig.notifierPollMs);
  return channels;
}

export const channelRoutes =
  (channels: Channels): FastifyPluginAsync =>
  async (app) => {
    if (channels.wechat) {
      await app.register(xmlWebhookRoutes('/channels/wechat', channels.wechat.webhook, 'WeChat official account'));
    }
    if (channels.sms) await app.register(smsRoutes(channels.sms.routes));
    if (channels.wecom) {
      await app.register(xmlWebhookRoutes('/channels/wecom', channels.wecom.webhook, 'WeCom app'));
    }
  };
