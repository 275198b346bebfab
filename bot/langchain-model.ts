import { ChatOpenAI } from '@langchain/openai';
import {
  chosenEntrySchema,
  extractedFieldsSchema,
  groundedAnswerSchema,
  type ExtractedFields,
  type GroundedAnswer,
  type GroundingEntry,
  type LanguageModel,
} from './language-model.js';

export interface OpenAiCompatibleModelOptions {
  /** e.g. http://llm.internal:8000/v1 for a government-hosted Qwen or DeepSeek. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** A call slower than this fails and the rules answer instead. */
  timeoutMs: number;
}

const extractPrompt = [
  'TASK: extract-work-order-fields.',
  '你是12345政务服务热线的工单助手。从市民的话中抽取工单字段，只抽取原文中明确出现的信息，不要推测。',
  '只输出一个JSON对象：{"appealType": "consult|help|complaint|report|suggestion|praise" 或 null, "category": 问题分类（不超过10个字）或 null, "place": 原文中的地点 或 null, "time": 原文中的时间 或 null, "phone": 原文中的电话 或 null}',
].join('\n');

const rephrasePrompt = [
  'TASK: rephrase-from-entries.',
  '你是12345政务服务热线的助手。只能依据下面给出的知识库条目回答市民的问题，不得添加条目中没有的政策、数字、地址或电话。',
  '用简洁的简体中文回答。只输出一个JSON对象：{"answer": 回答文本, "cited": [所依据条目的id]}',
].join('\n');

const choosePrompt = [
  'TASK: choose-entry.',
  '你是12345政务服务热线的知识库审核助手。判断下面哪一个知识库条目直接回答了市民问的这件事。',
  '同类但不同的事项不算（问结婚证补办，条目讲身份证补办；问离婚登记，条目讲结婚登记；问怎么注销，条目讲怎么办理），这时回答null。',
  '只输出一个JSON对象：{"entryId": 条目id 或 null}',
].join('\n');

/** Parses the model's text as JSON, tolerating a Markdown code fence around it. */
function parseJson(content: string): unknown {
  const fenced = content.match(/```(?:json)?\s*([\s\S]*?)```/);
  return JSON.parse((fenced?.[1] ?? content).trim());
}

/** The optional LLM through an OpenAI-compatible chat-completions endpoint (langchain's ChatOpenAI). */
export class OpenAiCompatibleModel implements LanguageModel {
  private readonly chat: ChatOpenAI;

  constructor(options: OpenAiCompatibleModelOptions) {
    this.chat = new ChatOpenAI({
      model: options.model,
      apiKey: options.apiKey ?? 'not-needed',
      temperature: 0,
      timeout: options.timeoutMs,
      maxRetries: 0,
      useResponsesApi: false,
      configuration: { baseURL: options.baseUrl },
    });
  }

  async extractWorkOrderFields(text: string): Promise<ExtractedFields> {
    return extractedFieldsSchema.parse(await this.ask(extractPrompt, text));
  }

  async rephrase(question: string, entries: GroundingEntry[]): Promise<GroundedAnswer> {
    const context = entries.map((e) => `[${e.id}] 问：${e.question}\n答：${e.answer}`).join('\n\n');
    const result = groundedAnswerSchema.parse(
      await this.ask(rephrasePrompt, `知识库条目：\n${context}\n\n市民的问题：${question}`),
    );
    const known = new Set(entries.map((e) => e.id));
    if (!result.cited.every((id) => known.has(id))) throw new Error('rephrased answer cites an entry it was not given');
    return result;
  }

  async chooseEntry(question: string, entries: GroundingEntry[]): Promise<string | null> {
    const context = entries.map((e) => `[${e.id}] 问：${e.question}\n答：${e.answer}`).join('\n\n');
    const { entryId } = chosenEntrySchema.parse(
      await this.ask(choosePrompt, `知识库条目：\n${context}\n\n市民的问题：${question}`),
    );
    if (entryId !== null && !entries.some((e) => e.id === entryId)) throw new Error('chose an entry it was not given');
    return entryId;
  }

  private async ask(system: string, user: string): Promise<unknown> {
    const message = await this.chat.invoke([
      { role: 'system', content: system },
      { role: 'user', content: user },
    ]);
    if (typeof message.content !== 'string') throw new Error('language model returned non-text content');
    return parseJson(message.content);
  }
}
