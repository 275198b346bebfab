import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatCompletionRequest {
  model: string;
  messages: { role: string; content: string }[];
}

/** What the fake answers: message content, an HTTP error, or no answer at all (a hung server). */
export type FakeAnswer = { content: string } | { status: number } | 'hang';

/**
 * A local server speaking the OpenAI chat-completions wire format (POST /v1/chat/completions),
 * standing in for a hosted Qwen or DeepSeek. Tests decide each answer from the request.
 */
export class FakeOpenAiServer {
  readonly requests: ChatCompletionRequest[] = [];
  answer: (request: ChatCompletionRequest) => FakeAnswer = () => ({ status: 500 });
  private server: Server | undefined;
  private readonly hung: ServerResponse[] = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const request = JSON.parse(body) as ChatCompletionRequest;
    this.requests.push(request);
    const answer = this.answer(request);
    if (answer === 'hang') {
      this.hung.push(res);
      return;
    }
    if ('status' in answer) {
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'fake failure', type: 'server_error', code: null } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer.content, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  }
}

export const taskOf = (request: ChatCompletionRequest) =>
  request.messages[0]?.content.match(/^TASK: ([\w-]+)/)?.[1] ?? 'unknown';
