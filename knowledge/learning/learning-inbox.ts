import type { Database } from '../../prisma/client.js';
import { isAnswerable } from '../entry.js';
import type { EntryContent } from '../entry-content.js';
import type { EntryWorkflow, Editor } from '../entry-workflow.js';
import type { KnowledgeBase } from '../knowledge-base.js';
import { nearestCluster, termsFromJson, termsToJson, type ClusterLeader } from './clustering.js';
import { LearningError } from './learning-errors.js';
import { maskPersonalData, removePersonalData } from './personal-data.js';

export const inboxSources = ['abstain', 'clarify', 'unhelpful', 'work-order'] as const;
export type InboxSource = (typeof inboxSources)[number];
export const clusterStatuses = ['open', 'dismissed', 'resolved'] as const;
export type ClusterStatus = (typeof clusterStatuses)[number];

/** A knowledge decision of the bot (structurally the bot's KnowledgeSignal; knowledge/ does not import bot/). */
export interface DecisionSignal {
  outcome: 'answer' | 'clarify' | 'abstain' | 'clarify-answer';
  question: string;
  entryId?: string;
  channel: string;
  sessionId: string;
}

export interface ClusterSummary {
  id: number;
  status: ClusterStatus;
  label: string;
  questionCount: number;
  lastSeenAt: Date;
  sources: Partial<Record<InboxSource, number>>;
  examples: string[];
  /** Staff replies of 咨询 work orders in the cluster (a draft answer's starting point). */
  staffAnswers: string[];
  resolution: string | null;
  entryId: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface DraftInput {
  id?: string;
  question: string;
  answer: string;
  similar?: string[];
  category?: string;
  department?: string;
  region?: string;
}

const EXAMPLES = 5;
const MAX_SIMILAR_FROM_CLUSTER = 20;
const MAX_SIMILAR = 100;
/** Work orders looked at per sync: the newest answered consultations. */
const WORK_ORDER_SYNC_WINDOW = 500;
const answeredStatuses = ['resolved', 'visited', 'closed'];

const isStatus = (s: string): s is ClusterStatus => (clusterStatuses as readonly string[]).includes(s);
const bare = (q: string) => q.replace(/[？?。.!！\s]+$/u, '').trim();

/**
 * The learning inbox: questions the knowledge base did not serve (abstained, clarified, rated
 * unhelpful, or answered by staff as 咨询 work orders), grouped into clusters of similar questions
 * (leader clustering, see clustering.ts). A dismissed cluster stays dismissed: questions that
 * match it join it silently; only a question below the similarity threshold starts a new
 * cluster. A resolved cluster that receives a new question while its entry is live (the fix did
 * not cover it) is open again, still showing the entry it went to.
 */
export class LearningInbox {
  /** Questions are clustered one at a time in this process, so two at once cannot both lead a new cluster. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly knowledge: KnowledgeBase,
    /** Entry changes go through the editorial workflow: versions, review, publishing, audit trail. */
    private readonly entries: EntryWorkflow,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores a bot decision (hits and abstain rate); abstained and clarified questions go to the inbox. */
  async record(signal: DecisionSignal): Promise<void> {
    await this.db.knowledgeOutcome.create({
      data: {
        outcome: signal.outcome,
        entryId: signal.entryId ?? null,
        channel: signal.channel,
        createdAt: this.clock(),
      },
    });
    if (signal.outcome === 'abstain' || signal.outcome === 'clarify') {
      await this.addQuestion({
        source: signal.outcome,
        text: signal.question,
        channel: signal.channel,
        sessionId: signal.sessionId,
      });
    }
  }

  /**
   * 有帮助/没帮助 on the session's latest answer citing `entryId`. One rating per answer (a second
   * click changes it); 没帮助 puts the question into the inbox, 有帮助 afterwards takes it out.
   */
  async recordFeedback(input: { sessionId: string; entryId: string; helpful: boolean }): Promise<{
    messageId: number;
    question: string;
  }> {
    const answers = await this.db.message.findMany({
      where: { conversationId: input.sessionId, direction: 'out', kind: 'answer' },
      orderBy: { id: 'desc' },
      take: 50,
      select: { id: true, sources: true },
    });
    const answer = answers.find((m) =>
      (Array.isArray(m.sources) ? m.sources : []).some(
        (s) => !!s && typeof s === 'object' && (s as { id?: unknown }).id === input.entryId,
      ),
    );
    if (!answer) throw new LearningError('ANSWER_NOT_FOUND', 'no answer with this entry in this session');
    const question = await this.questionBefore(input.sessionId, answer.id, input.entryId);
    const sourceKey = `feedback:${answer.id}`;
    await this.db.answerFeedback.upsert({
      where: { messageId: answer.id },
      create: {
        messageId: answer.id,
        sessionId: input.sessionId,
        entryId: input.entryId,
        helpful: input.helpful,
        question,
      },
      update: { helpful: input.helpful },
    });
    if (!input.helpful) {
      await this.addQuestion({
        source: 'unhelpful',
        text: question,
        channel: 'web',
        sessionId: input.sessionId,
        entryId: input.entryId,
        sourceKey,
      });
    } else {
      await this.removeQuestion(sourceKey);
    }
    return { messageId: answer.id, question };
  }

  /** The citizen's question an answer replied to: the inbound message before it, skipping a picked option. */
  private async questionBefore(sessionId: string, answerId: number, entryId: string): Promise<string> {
    const inbound = await this.db.message.findMany({
      where: { conversationId: sessionId, direction: 'in', id: { lt: answerId } },
      orderBy: { id: 'desc' },
      take: 3,
      select: { text: true },
    });
    const standard = this.knowledge.entry(entryId)?.question;
    const picked = (t: string) =>
      /^\s*[0-9一二三四五六七八九十第个]+\s*$/u.test(t) || (standard && bare(t) === bare(standard));
    return (inbound.find((m) => !picked(m.text)) ?? inbound[0])?.text ?? '';
  }

  /** Brings 咨询 work orders that staff answered into the inbox (idempotent: one question per order). */
  async syncAnsweredConsultations(): Promise<number> {
    const orders = await this.db.workOrder.findMany({
      where: { appealType: 'consult', status: { in: answeredStatuses }, duplicateOfId: null },
      orderBy: { updatedAt: 'desc' },
      take: WORK_ORDER_SYNC_WINDOW,
      select: {
        code: true,
        description: true,
        channel: true,
        ownerSessionId: true,
        events: { where: { action: 'resolve' }, orderBy: { createdAt: 'desc' }, take: 1, select: { note: true } },
      },
    });
    if (!orders.length) return 0;
    const known = new Set(
      (
        await this.db.inboxQuestion.findMany({
          where: { sourceKey: { in: orders.map((o) => `work-order:${o.code}`) } },
          select: { sourceKey: true },
        })
      ).map((q) => q.sourceKey),
    );
    let added = 0;
    for (const order of orders.reverse()) {
      const sourceKey = `work-order:${order.code}`;
      if (known.has(sourceKey)) continue;
      const result = await this.addQuestion({
        source: 'work-order',
        text: order.description,
        channel: order.channel,
        sessionId: order.ownerSessionId,
        sourceKey,
        staffAnswer: order.events[0]?.note ?? null,
      });
      if (result) added += 1;
    }
    return added;
  }

  /** Adds one question to its cluster (or a new one); undefined when it has no content words or was added before. */
  addQuestion(input: {
    source: InboxSource;
    text: string;
    channel?: string;
    sessionId?: string;
    entryId?: string;
    sourceKey?: string;
    staffAnswer?: string | null;
  }): Promise<{ questionId: number; clusterId: number } | undefined> {
    const run = this.queue.then(() => this.cluster(input));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async cluster(input: Parameters<LearningInbox['addQuestion']>[0]) {
    // A citizen's phone or ID-card number never reaches the inbox: staff see that one was given, not which.
    const text = maskPersonalData(input.text.trim()).slice(0, 2000);
    const terms = this.knowledge.analyze(text);
    if (!text || terms.size === 0) return undefined;
    if (input.sourceKey) {
      const existing = await this.db.inboxQuestion.findUnique({ where: { sourceKey: input.sourceKey } });
      if (existing) return undefined;
    }
    const now = this.clock();
    const leaders: ClusterLeader[] = (
      await this.db.inboxCluster.findMany({ select: { id: true, terms: true }, orderBy: { id: 'asc' } })
    ).map((c) => ({ id: c.id, terms: termsFromJson(c.terms) }));
    const nearest = nearestCluster(terms, leaders);
    const question = {
      source: input.source,
      text,
      channel: input.channel ?? null,
      sessionId: input.sessionId ?? null,
      entryId: input.entryId ?? null,
      sourceKey: input.sourceKey ?? null,
      staffAnswer: input.staffAnswer ?? null,
      createdAt: now,
    };
    return this.db.$transaction(async (tx) => {
      let clusterId: number;
      if (nearest) {
        clusterId = nearest.id;
        const cluster = await tx.inboxCluster.findUniqueOrThrow({
          where: { id: clusterId },
          select: { status: true, entryId: true },
        });
        // Dismissed stays dismissed. A resolved cluster needs another look when its entry is live
        // and a question like it was still missed; while the entry waits as a draft, it waits too.
        const entry = cluster.entryId ? this.knowledge.entry(cluster.entryId) : undefined;
        const reopen = cluster.status === 'resolved' && entry !== undefined && isAnswerable(entry, now);
        await tx.inboxCluster.update({
          where: { id: clusterId },
          data: { questionCount: { increment: 1 }, lastSeenAt: now, ...(reopen ? { status: 'open' } : {}) },
        });
      } else {
        const created = await tx.inboxCluster.create({
          data: { label: text.slice(0, 500), terms: termsToJson(terms), questionCount: 1, lastSeenAt: now },
        });
        clusterId = created.id;
      }
      const row = await tx.inboxQuestion.create({ data: { ...question, clusterId } });
      return { questionId: row.id, clusterId };
    });
  }

  private async removeQuestion(sourceKey: string): Promise<void> {
    const question = await this.db.inboxQuestion.findUnique({ where: { sourceKey } });
    if (!question) return;
    await this.db.$transaction([
      this.db.inboxQuestion.delete({ where: { id: question.id } }),
      this.db.inboxCluster.update({
        where: { id: question.clusterId },
        data: { questionCount: { decrement: 1 } },
      }),
    ]);
  }

  /** Clusters with at least one question, most asked first. */
  async clusters(filter: { status?: ClusterStatus; limit?: number; offset?: number } = {}): Promise<{
    total: number;
    items: ClusterSummary[];
  }> {
    const where = { questionCount: { gt: 0 }, ...(filter.status ? { status: filter.status } : {}) };
    const [total, rows] = await Promise.all([
      this.db.inboxCluster.count({ where }),
      this.db.inboxCluster.findMany({
        where,
        orderBy: [{ questionCount: 'desc' }, { lastSeenAt: 'desc' }, { id: 'asc' }],
        take: filter.limit ?? 50,
        skip: filter.offset ?? 0,
      }),
    ]);
    const items = await Promise.all(rows.map((row) => this.summary(row)));
    return { total, items };
  }

  async clusterDetail(id: number): Promise<ClusterSummary & { questions: InboxQuestionView[] }> {
    const row = await this.db.inboxCluster.findUnique({ where: { id } });
    if (!row) throw new LearningError('CLUSTER_NOT_FOUND', `no inbox cluster ${id}`);
    const questions = await this.db.inboxQuestion.findMany({
      where: { clusterId: id },
      orderBy: { id: 'desc' },
      take: 200,
    });
    return {
      ...(await this.summary(row)),
      questions: questions.map((q) => ({
        id: q.id,
        source: q.source as InboxSource,
        text: maskPersonalData(q.text),
        channel: q.channel,
        entryId: q.entryId,
        staffAnswer: q.staffAnswer,
        createdAt: q.createdAt,
      })),
    };
  }

  private async summary(row: {
    id: number;
    status: string;
    label: string;
    questionCount: number;
    lastSeenAt: Date;
    resolution: string | null;
    entryId: string | null;
    decidedBy: string | null;
    decidedAt: Date | null;
  }): Promise<ClusterSummary> {
    const [bySource, recent] = await Promise.all([
      this.db.inboxQuestion.groupBy({ by: ['source'], where: { clusterId: row.id }, _count: { _all: true } }),
      this.db.inboxQuestion.findMany({
        where: { clusterId: row.id },
        orderBy: { id: 'desc' },
        take: 50,
        select: { text: true, staffAnswer: true },
      }),
    ]);
    // Masked on reading too: questions stored before masking was added may still hold numbers.
    const examples = [...new Set(recent.map((q) => maskPersonalData(q.text)))].slice(0, EXAMPLES);
    const staffAnswers = [...new Set(recent.flatMap((q) => (q.staffAnswer ? [q.staffAnswer] : [])))].slice(0, 3);
    return {
      id: row.id,
      status: isStatus(row.status) ? row.status : 'open',
      label: maskPersonalData(row.label),
      questionCount: row.questionCount,
      lastSeenAt: row.lastSeenAt,
      sources: Object.fromEntries(bySource.map((s) => [s.source, s._count._all])),
      examples,
      staffAnswers,
      resolution: row.resolution,
      entryId: row.entryId,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
    };
  }

  async dismiss(id: number, actor: string): Promise<void> {
    await this.decide(id, { status: 'dismissed', decidedBy: actor, decidedAt: this.clock() });
  }

  /** Undoes a dismissal (or reopens a resolved cluster). */
  async reopen(id: number, actor: string): Promise<void> {
    await this.decide(id, { status: 'open', decidedBy: actor, decidedAt: this.clock() });
  }

  private async decide(
    id: number,
    data: { status: ClusterStatus; decidedBy: string; decidedAt: Date; resolution?: string; entryId?: string },
  ) {
    const { count } = await this.db.inboxCluster.updateMany({ where: { id }, data });
    if (count === 0) throw new LearningError('CLUSTER_NOT_FOUND', `no inbox cluster ${id}`);
  }

  /** Distinct questions of a cluster, newest first, without any phone or ID-card number (they become entry text). */
  private async clusterQuestions(id: number): Promise<string[]> {
    const cluster = await this.db.inboxCluster.findUnique({ where: { id }, select: { id: true } });
    if (!cluster) throw new LearningError('CLUSTER_NOT_FOUND', `no inbox cluster ${id}`);
    const rows = await this.db.inboxQuestion.findMany({
      where: { clusterId: id },
      orderBy: { id: 'desc' },
      take: 200,
      select: { text: true },
    });
    return [...new Set(rows.map((r) => removePersonalData(r.text)).filter(Boolean))];
  }

  /**
   * Adds the cluster's questions (or the chosen ones) as similar questions of an existing entry.
   * The change is a working version of the entry (the open draft, or a new one from the live
   * content), so it is reviewed and published like any edit; the live entry keeps answering
   * meanwhile. The cluster is resolved.
   */
  async addAsSimilar(
    id: number,
    input: { entryId: string; questions?: string[] },
    editor: Editor,
  ): Promise<{ entryId: string; added: string[] }> {
    const available = await this.clusterQuestions(id);
    const chosen = (input.questions?.length ? input.questions : available.slice(0, MAX_SIMILAR_FROM_CLUSTER)).map(
      removePersonalData,
    );
    const entry = await this.entries.get(input.entryId);
    const content = entry.working?.content ?? entry.live;
    if (!content) throw new LearningError('ENTRY_NOT_FOUND', `knowledge entry ${input.entryId} has no content`);
    const known = new Set([content.question, ...content.similar].map(bare));
    const added = [...new Set(chosen)].filter((q) => q && !known.has(bare(q)));
    const similar = [...content.similar, ...added];
    if (similar.length > MAX_SIMILAR) {
      throw new LearningError('INVALID_LEARNING_INPUT', `an entry has at most ${MAX_SIMILAR} similar questions`);
    }
    if (added.length) await this.entries.save(entry.id, { ...content, similar }, editor);
    await this.decide(id, {
      status: 'resolved',
      resolution: 'similar',
      entryId: entry.id,
      decidedBy: editor.name,
      decidedAt: this.clock(),
    });
    return { entryId: entry.id, added };
  }

  /** Creates a new entry as a draft of the editorial workflow (never overwrites one) and resolves the cluster. */
  async draftEntry(id: number, input: DraftInput, editor: Editor): Promise<{ entryId: string }> {
    const available = await this.clusterQuestions(id);
    const entryId = input.id ?? (await this.freeId(`inbox-${id}`));
    // The page pre-fills the question from the cluster: citizens' numbers are taken out of every question copied.
    const question = removePersonalData(input.question);
    if (!question) {
      throw new LearningError(
        'INVALID_LEARNING_INPUT',
        'the question is empty once phone and ID-card numbers are removed',
      );
    }
    const similar = (input.similar ?? available).map(removePersonalData).filter((q) => q && bare(q) !== bare(question));
    const content: EntryContent = {
      question,
      similar: [...new Set(similar)].slice(0, MAX_SIMILAR),
      answer: input.answer.trim(),
      category: input.category ?? null,
      department: input.department ?? null,
      region: input.region ?? null,
      tags: [],
      validFrom: null,
      validTo: null,
      sourceTitle: null,
      sourceNumber: null,
      sourceUrl: null,
    };
    await this.entries.create(content, editor, entryId);
    await this.decide(id, {
      status: 'resolved',
      resolution: 'draft',
      entryId,
      decidedBy: editor.name,
      decidedAt: this.clock(),
    });
    return { entryId };
  }

  private async freeId(base: string): Promise<string> {
    const taken = new Set(
      (await this.db.knowledgeEntry.findMany({ where: { id: { startsWith: base } }, select: { id: true } })).map(
        (r) => r.id,
      ),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

export interface InboxQuestionView {
  id: number;
  source: InboxSource;
  text: string;
  channel: string | null;
  entryId: string | null;
  staffAnswer: string | null;
  createdAt: Date;
}
