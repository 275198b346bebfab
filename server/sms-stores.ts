import { phoneKey } from '../channels/sms/sms-channel.js';
import type { DeliveryReceipt, SmsProviderName } from '../channels/sms/inbound.js';
import type { DeliveryReceiptLog, SmsSuppressionList } from '../channels/sms/provider.js';
import type { Database } from '../prisma/client.js';
import { maskPhone } from '../personal-data/phone.js';

/** Opt-outs in the database, keyed by a hash of the number (the list itself holds no numbers). */
export class DatabaseSmsSuppressionList implements SmsSuppressionList {
  constructor(private readonly db: Database) {}

  async add(phone: string, provider: SmsProviderName, keyword: string): Promise<void> {
    const phoneHash = phoneKey(phone);
    await this.db.smsSuppression.upsert({
      where: { phoneHash },
      create: { phoneHash, provider, keyword },
      update: { provider, keyword },
    });
  }

  async remove(phone: string): Promise<void> {
    await this.db.smsSuppression.deleteMany({ where: { phoneHash: phoneKey(phone) } });
  }

  async has(phone: string): Promise<boolean> {
    return (await this.db.smsSuppression.count({ where: { phoneHash: phoneKey(phone) } })) > 0;
  }
}

/** Delivery receipts, idempotent per (provider, message, status) since gateways push again on errors. */
export class DatabaseDeliveryReceiptLog implements DeliveryReceiptLog {
  constructor(private readonly db: Database) {}

  async record(receipts: DeliveryReceipt[]): Promise<void> {
    for (const r of receipts) {
      await this.db.smsDeliveryReceipt.upsert({
        where: { provider_messageId_status: { provider: r.provider, messageId: r.messageId, status: r.status } },
        create: {
          provider: r.provider,
          messageId: r.messageId,
          phoneMasked: maskPhone(r.phone),
          status: r.status,
          errorCode: r.errorCode ?? null,
          reportedAt: r.reportedAt ?? null,
        },
        update: {},
      });
    }
  }
}
