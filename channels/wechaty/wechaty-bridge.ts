import type { InboundMessage, Reply } from '../../bot/message.js';
import type { ChannelMemory } from '../channel-memory.js';
import { renderRepliesAsText } from '../wechat/render.js';
import { wechatyTexts } from './texts.js';

export const WECHATY_CHANNEL = 'wechaty';
const DEDUPE_TTL_MS = 24 * 60 * 60_000;
export const WECHATY_CHOICES_TTL_MS = 30 * 60_000;
/** Where the numbered choices last sent to a contact are kept, so that a reply "2" resolves. */
export const wechatyChoicesKey = (contactId: string) => `wechaty:choices:${contactId}`;
/**
 * wechaty-puppet's `types.Message.Text`. Kept here, with the structural types below, so that this
 * module type-checks and loads without wechaty installed (it is an optional dependency).
 */
export const WECHATY_TEXT_MESSAGE_TYPE = 7;

/** The parts of a wechaty `Message` the bridge uses. */
export interface WechatyMessageLike {
  id: string;
  self(): boolean;
  type(): number;
  text(): string;
  talker(): { id: string };
  room(): unknown;
  mentionSelf(): Promise<boolean>;
  /** The text without the "@bot" mentions (room messages). */
  mentionText(): Promise<string>;
  /** Says something in the message's conversation (the contact, or the room it came from). */
  say(text: string): Promise<unknown>;
  date(): Date;
}

/** The parts of a wechaty instance (`WechatyBuilder.build(...)`) the bridge uses. */
export interface WechatyLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

export interface WechatyBridgeLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface WechatyBridgeOptions {
  wechaty: WechatyLike;
  handle(message: InboundMessage): Promise<Reply[]>;
  memory: ChannelMemory;
  log: WechatyBridgeLog;
}

/**
 * Lets a WeChat or WeCom account driven by a wechaty puppet talk to the bot: text from contacts
 * (and room messages that mention the account) in, the rendered replies said back, choices as
 * numbered lines that a reply "2" resolves.
 */
export class WechatyBridge {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listener = (message: WechatyMessageLike) => {
    const turn = this.receive(message);
    this.inFlight.add(turn);
    void turn.finally(() => this.inFlight.delete(turn));
  };

  constructor(private readonly options: WechatyBridgeOptions) {}

  attach(): void {
    this.options.wechaty.on('message', this.listener);
  }

  detach(): void {
    this.options.wechaty.off('message', this.listener);
  }

  /** Waits for the messages being answered (shutdown and tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Answers one message; never throws (a failure is logged and the citizen told). */
  async receive(message: WechatyMessageLike): Promise<void> {
    const { memory, log } = this.options;
    try {
      if (message.self()) return;
      const inRoom = !!message.room();
      if (inRoom && !(await message.mentionSelf())) return;
      // Puppets re-emit messages after reconnects; one id gets one answer.
      if (!(await memory.claim(`wechaty:message:${message.id}`, DEDUPE_TTL_MS))) return;
      if (message.type() !== WECHATY_TEXT_MESSAGE_TYPE) {
        await message.say(wechatyTexts.unsupported);
        return;
      }
      const text = (inRoom ? await message.mentionText() : message.text()).trim();
      if (!text) {
        await message.say(wechatyTexts.empty);
        return;
      }
      const contactId = message.talker().id;
      const replies = await this.options.handle({
        id: `wechaty:${message.id}`,
        channel: WECHATY_CHANNEL,
        userId: contactId,
        sessionId: `wechaty:${contactId}`,
        text: await this.resolveChoice(contactId, text),
        receivedAt: message.date(),
      });
      const rendered = renderRepliesAsText(replies);
      await memory.put(wechatyChoicesKey(contactId), rendered.numberedChoices, WECHATY_CHOICES_TTL_MS);
      await message.say(rendered.text);
    } catch (error) {
      log.error({ channel: WECHATY_CHANNEL, err: error }, 'wechaty message not answered');
      await message.say(wechatyTexts.failed).catch(() => undefined);
    }
  }

  /** "2" after choices the bridge numbered stands for the second choice. */
  private async resolveChoice(contactId: string, text: string): Promise<string> {
    const digit = text.normalize('NFKC').match(/^[1-9]$/)?.[0];
    if (!digit) return text;
    const choices = await this.options.memory.get<string[]>(wechatyChoicesKey(contactId));
    return choices?.[Number(digit) - 1] ?? text;
  }
}
