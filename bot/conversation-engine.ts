import { toSimplifiedMandarin } from '../knowledge/normalise.js';
import type { DialogState, SessionStore, Transcript } from './dialog-state.js';
import type { InboundMessage, Reply } from './message.js';
import { appeal } from './steps/appeal.js';
import { emergency } from './steps/emergency.js';
import { evaluation } from './steps/evaluation.js';
import { handoff } from './steps/handoff.js';
import { continueIntake } from './steps/intake.js';
import { knowledgeAnswer, pendingClarification, pendingOffer } from './steps/knowledge.js';
import { returnVisit } from './steps/return-visit.js';
import { refusal } from './steps/refusal.js';
import { smallTalk } from './steps/small-talk.js';
import { pendingStatusCheck, ticketStatus } from './steps/ticket-status.js';
import { texts } from './texts.js';
import { reply, type EngineEvent, type Turn, type TurnServices, type TurnStep } from './turn.js';

/**
 * The order matters: safety first (emergencies, then what the hotline does not do); then what
 * the citizen asked for explicitly (a person, a ticket's status); then the dialog in progress
 * (phone tail, intake, a return-visit rating, offer, clarification); then new requests. The last
 * step always replies, so no message goes unanswered.
 */
export const pipeline: readonly TurnStep[] = [
  emergency,
  refusal,
  handoff,
  ticketStatus,
  pendingStatusCheck,
  continueIntake,
  returnVisit,
  pendingOffer,
  pendingClarification,
  evaluation,
  appeal,
  smallTalk,
  knowledgeAnswer,
];

export interface ConversationEngineOptions {
  sessions: SessionStore;
  transcript: Transcript;
  services: TurnServices;
  /** A session idle for longer starts again from a clean state. */
  idleTimeoutMs: number;
  /** Called when a step fails; the citizen still gets a polite reply. */
  onError?: (error: unknown, message: InboundMessage) => void;
  /** Emergencies, refusals, denied status checks, LLM fallbacks: for the operators' log. */
  onEvent?: (event: EngineEvent, message: InboundMessage) => void;
  clock?: () => Date;
}

/** One turn: a normalised message in, replies out. Knows no HTTP and no channel. */
export class ConversationEngine {
  private readonly clock: () => Date;

  constructor(private readonly options: ConversationEngineOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async handle(message: InboundMessage): Promise<Reply[]> {
    const { sessions, transcript } = this.options;
    const identity = { sessionId: message.sessionId, channel: message.channel, userId: message.userId };
    // Stored before anything can fail, so an accepted message is never lost.
    await transcript.append([
      { ...identity, direction: 'in', kind: 'text', text: message.text, at: message.receivedAt },
    ]);

    const events: EngineEvent[] = [];
    let replies: Reply[];
    try {
      const turn: Turn = {
        message,
        text: toSimplifiedMandarin(message.text).trim(),
        state: await this.loadState(message.sessionId),
        services: this.options.services,
        now: this.clock(),
        record: (event) => events.push(event),
      };
      replies = await this.run(turn);
      await sessions.set(message.sessionId, { channel: message.channel, userId: message.userId, state: turn.state });
    } catch (error) {
      this.options.onError?.(error, message);
      replies = [reply('fallback', texts.internalError)];
    }
    for (const event of events) this.options.onEvent?.(event, message);

    const at = this.clock();
    await transcript.append(
      replies.map((r) => ({
        ...identity,
        direction: 'out' as const,
        kind: r.kind,
        text: r.text,
        sources: r.sources,
        at,
      })),
    );
    return replies;
  }

  private async loadState(sessionId: string): Promise<DialogState> {
    const stored = await this.options.sessions.get(sessionId);
    if (!stored) return {};
    const idle = this.clock().getTime() - stored.updatedAt.getTime();
    return idle > this.options.idleTimeoutMs ? {} : stored.state;
  }

  private async run(turn: Turn): Promise<Reply[]> {
    for (const step of pipeline) {
      const replies = await step(turn);
      if (replies) return replies;
    }
    throw new Error('pipeline ended without a reply');
  }
}
