import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { ChannelMemory } from '../channels/channel-memory.js';
import { WechatApiClient } from '../channels/wechat/api-client.js';
import { WechatCustomerServiceSender } from '../channels/wechat/sender.js';
import { WechatWebhook } from '../channels/wechat/webhook.js';
import type { ChannelConfig } from './channel-config.js';
import { DatabaseChannelMemory } from './channel-memory-store.js';
import type { Minsheng } from './composition.js';
import { xmlWebhookRoutes } from './routes/wechat.js';

/** The channel adapters that are configured, for routes and for later delivery (outbox). */
export interface Channels {
  memory: ChannelMemory;
  wechat?: { webhook: WechatWebhook; sender?: WechatCustomerServiceSender; client?: WechatApiClient };
  /** Waits for answers still being delivered later (shutdown and tests). */
  settled(): Promise<void>;
}

/** Builds every configured channel; each one left unconfigured says so once in the log. */
export function startChannels(minsheng: Minsheng, config: ChannelConfig, log: FastifyBaseLogger): Channels {
  const memory = new DatabaseChannelMemory(minsheng.db);
  const handle = (message: Parameters<Minsheng['engine']['handle']>[0]) => minsheng.engine.handle(message);
  const channels: Channels = { memory, settled: async () => channels.wechat?.webhook.settled() };

  if (config.wechat) {
    const { token, appId, appSecret, encodingAesKey, apiBase, replyBudgetMs } = config.wechat;
    const client = appId && appSecret ? new WechatApiClient({ appId, appSecret, baseUrl: apiBase }) : undefined;
    const sender = client && new WechatCustomerServiceSender(client);
    const webhook = new WechatWebhook({
      token,
      appId,
      encodingAesKey,
      handle,
      sendLater: sender && ((openId, replies) => sender.send(openId, replies)),
      memory,
      replyBudgetMs,
      maxClockSkewSeconds: config.webhookMaxSkewSeconds,
      log: log.child({ channel: 'wechat' }),
    });
    channels.wechat = { webhook, sender, client };
    log.info({ safeMode: !!encodingAesKey, customerService: !!client }, 'WeChat channel on at /channels/wechat');
    if (!client)
      log.warn('WeChat customer-service API off (WECHAT_APP_ID/WECHAT_APP_SECRET unset): late answers are lost');
  } else {
    log.info('WeChat channel off (WECHAT_TOKEN unset)');
  }
  return channels;
}

export const channelRoutes =
  (channels: Channels): FastifyPluginAsync =>
  async (app) => {
    if (channels.wechat) {
      await app.register(xmlWebhookRoutes('/channels/wechat', channels.wechat.webhook, 'WeChat official account'));
    }
  };
