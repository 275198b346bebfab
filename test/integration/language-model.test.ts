import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';
import { FakeOpenAiServer, taskOf, type ChatCompletionRequest, type FakeAnswer } from '../support/fake-openai.js';

describe('optional LLM through an OpenAI-compatible endpoint', () => {
  const fake = new FakeOpenAiServer();
  let t: TestApp;
  let session = 0;
  const next = () => `llm-session-${++session}`;
  const events = (type: string) =>
    t.logs().filter((l) => (l.event as { type?: string } | undefined)?.type === type) as {
      event: { task: string; error: string };
    }[];

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp({ LLM_BASE_URL: baseUrl, LLM_MODEL: 'qwen-test', LLM_TIMEOUT_MS: '400' });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const answering = (byTask: Record<string, FakeAnswer>) => {
    fake.answer = (request: ChatCompletionRequest) => byTask[taskOf(request)] ?? { status: 500 };
  };

  it('rephrases an answer from the retrieved entry only, citing it', async () => {
    answering({
      'rephrase-from-entries': { content: '{"answer":"先挂失，再到派出所补领，工本费40元。","cited":["kb-026"]}' },
    });
    const [reply] = await chat(t.app, next(), '身份证丢了怎么补办');
    expect(reply).toMatchObject({ kind: 'answer', sources: [expect.objectContaining({ id: 'kb-026' })] });
    expect(reply?.text).toContain('先挂失，再到派出所补领，工本费40元。');
    expect(reply?.text).toContain('依据知识库');
    const request = fake.requests.find((r) => taskOf(r) === 'rephrase-from-entries');
    expect(request?.model).toBe('qwen-test');
    expect(request?.messages.at(-1)?.content).toContain('[kb-026]');
    expect(request?.messages.at(-1)?.content).toContain('补领工本费40元');
  });

  it('accepts the JSON inside a Markdown code fence', async () => {
    answering({
      'rephrase-from-entries': { content: '```json\n{"answer":"可在临江公积金APP查询余额。","cited":["kb-020"]}\n```' },
    });
    const [reply] = await chat(t.app, next(), '公积金余额怎么查');
    expect(reply?.text).toContain('可在临江公积金APP查询余额。');
  });

  it.each([
    ['cites an entry it was not given', { content: '{"answer":"随便编的答案","cited":["kb-999"]}' }],
    ['returns text that is not JSON', { content: '身份证补办很简单。' }],
    ['returns JSON of the wrong shape', { content: '{"text":"答案"}' }],
    ['answers with HTTP 500', { status: 500 }],
    ['does not answer within LLM_TIMEOUT_MS', 'hang' as const],
  ])('answers with the approved entry when the model %s', async (_what, answer) => {
    answering({ 'rephrase-from-entries': answer });
    const before = events('language-model-fallback').length;
    const [reply] = await chat(t.app, next(), '身份证丢了怎么补办');
    expect(reply).toMatchObject({ kind: 'answer', sources: [expect.objectContaining({ id: 'kb-026' })] });
    expect(reply?.text).toContain('补领工本费40元');
    expect(reply?.text).not.toContain('随便编的答案');
    expect(reply?.text).not.toContain('依据知识库');
    expect(fake.requests.length).toBeGreaterThan(0);
    const fallbacks = events('language-model-fallback');
    expect(fallbacks.length).toBe(before + 1);
    expect(fallbacks.at(-1)?.event.task).toBe('rephrase');
  });

  it('hands a doubtful match over when the model says no entry answers it', async () => {
    // The rules see 结婚证 as a sibling of the entry's 身份证 and would offer it in a clarification.
    answering({ 'choose-entry': { content: '{"entryId":null}' } });
    const [reply] = await chat(t.app, next(), '结婚证弄丢了，想补一本去哪办');
    expect(reply?.kind).toBe('fallback');
    const request = fake.requests.find((r) => taskOf(r) === 'choose-entry');
    expect(request?.messages.at(-1)?.content).toContain('[kb-026]');
    expect(request?.messages.at(-1)?.content).toContain('结婚证弄丢了');
  });

  it("answers a clarification at once with the entry the model picks, in the entry's words", async () => {
    answering({ 'choose-entry': { content: '{"entryId":"kb-011"}' } });
    const [reply] = await chat(t.app, next(), '刚出生的婴儿怎样办理居民医保');
    expect(reply).toMatchObject({ kind: 'answer', sources: [expect.objectContaining({ id: 'kb-011' })] });
  });

  it('leaves confident answers and district versions to the rules', async () => {
    answering({ 'choose-entry': { content: '{"entryId":null}' } });
    const [confident] = await chat(t.app, next(), '公积金余额怎么查');
    expect(confident?.kind).toBe('answer');
    const [district] = await chat(t.app, next(), '小学报名时间');
    expect(district?.kind).toBe('clarify');
    expect(fake.requests.some((r) => taskOf(r) === 'choose-entry')).toBe(false);
  });

  it.each([
    ['names an entry it was not shown', { content: '{"entryId":"kb-999"}' }],
    ['returns JSON of the wrong shape', { content: '{"answer":"kb-011"}' }],
    ['does not answer within LLM_TIMEOUT_MS', 'hang' as const],
  ])("keeps the rules' decision when the model %s", async (_what, answer) => {
    answering({ 'choose-entry': answer });
    const before = events('language-model-fallback').filter((e) => e.event.task === 'choose').length;
    const [reply] = await chat(t.app, next(), '刚出生的婴儿怎样办理居民医保');
    expect(reply?.kind).toBe('clarify');
    expect(events('language-model-fallback').filter((e) => e.event.task === 'choose').length).toBe(before + 1);
  });

  it('takes a place the rules miss from the model, when it occurs in the citizen words', async () => {
    answering({
      'extract-work-order-fields': {
        content: '{"appealType":"complaint","category":"餐饮油烟","place":"滨江一号旁边","time":null,"phone":null}',
      },
    });
    const [ask] = await chat(t.app, next(), '我要投诉烧烤店油烟很大，就在滨江一号旁边');
    expect(ask?.kind).toBe('ask');
    expect(ask?.text).toContain('联系电话');
    expect(fake.requests.some((r) => r.messages.at(-1)?.content.includes('滨江一号旁边'))).toBe(true);
  });

  it('ignores a place the model invents', async () => {
    answering({
      'extract-work-order-fields': {
        content: '{"appealType":"complaint","category":"餐饮油烟","place":"江北区望江路1号","time":null,"phone":null}',
      },
    });
    const [ask] = await chat(t.app, next(), '我要投诉烧烤店油烟很大，就在那边');
    expect(ask?.text).toContain('地点');
  });

  it('files the order by the rules when extraction fails', async () => {
    answering({ 'extract-work-order-fields': 'hang' });
    const id = next();
    const [ask] = await chat(t.app, id, '我要投诉江北区望江路18号的烧烤店油烟很大');
    expect(ask?.text).toContain('联系电话');
    await chat(t.app, id, '13812345678');
    const [filed] = await chat(t.app, id, '确认');
    expect(filed?.kind).toBe('ticket');
    expect(events('language-model-fallback').some((e) => e.event.task === 'extract')).toBe(true);
  });
});
