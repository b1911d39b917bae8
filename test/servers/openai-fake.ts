// A local OpenAI-compatible chat completions server for tests: real HTTP on 127.0.0.1, scripted replies
// (answers, delays, 429 with Retry-After, 5xx, malformed bodies, hangs) and a record of every request,
// including how many were in flight at once.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  /** Answer text (default: `ECHO: ` + the last message's content). */
  text?: string;
  /** Wait before answering. */
  delayMs?: number;
  /** HTTP status other than 200 (429, 500, ...); the body becomes an OpenAI-style error. */
  status?: number;
  headers?: Record<string, string>;
  /** Raw body sent as is (for malformed answers). */
  rawBody?: string;
  /** Never answer; the connection stays open until the client gives up. */
  hang?: boolean;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: { model?: string; messages?: { role: string; content: string }[]; [key: string]: unknown } | undefined;
  rawBody: string;
  receivedAt: number;
  finishedAt?: number;
  /** True when the client went away before the answer (timeout/abort). */
  aborted: boolean;
}

export type Responder = (request: RecordedRequest) => FakeReply;

export interface ScriptRule {
  /** Matches the text of all messages joined. */
  when: string | RegExp;
  /** Replies in order; the last one repeats. */
  replies: FakeReply[];
}

/** A responder that picks replies by message content, each rule with its own sequence. */
export function scriptByContent(rules: ScriptRule[], fallback: Responder = () => ({})): Responder {
  const counts = new Map<ScriptRule, number>();
  return (request) => {
    const text = (request.body?.messages ?? []).map((m) => m.content).join('\n');
    const rule = rules.find((r) => (typeof r.when === 'string' ? text.includes(r.when) : r.when.test(text)));
    if (!rule) return fallback(request);
    const seen = counts.get(rule) ?? 0;
    counts.set(rule, seen + 1);
    return rule.replies[Math.min(seen, rule.replies.length - 1)];
  };
}

export interface OpenAiFake {
  /** Base URL to pass as `base-url` (ends in /v1). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Highest number of requests being handled at the same moment. */
  readonly maxInFlight: number;
  respondWith(responder: Responder): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startOpenAiFake(responder: Responder = () => ({})): Promise<OpenAiFake> {
  let respond = responder;
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: RecordedRequest['body'];
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, rawBody, receivedAt: Date.now(), aborted: false };
    requests.push(record);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      inFlight--;
      record.finishedAt = Date.now();
    };
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
      settle();
    });

    if (req.method !== 'POST' || !/\/v1\/chat\/completions$/.test(req.url ?? '')) {
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    if (!body || !Array.isArray(body.messages) || typeof body.model !== 'string') {
      return send(res, 400, { error: { message: 'body must be JSON with model and messages', type: 'invalid_request_error' } });
    }
    const reply = respond(record);
    if (reply.hang) return; // left open on purpose; close() or the client ends it
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    if (reply.rawBody !== undefined) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.rawBody);
      return;
    }
    if (reply.status && reply.status !== 200) {
      return send(res, reply.status, { error: { message: `scripted ${reply.status}`, type: reply.status === 429 ? 'rate_limit_exceeded' : 'server_error' } }, reply.headers);
    }
    const last = body.messages[body.messages.length - 1];
    const text = reply.text ?? `ECHO: ${last?.content ?? ''}`;
    const promptTokens = body.messages.reduce((sum, m) => sum + Math.ceil(String(m.content).length / 4), 0);
    send(
      res,
      200,
      {
        id: `chatcmpl-fake-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        ...(reply.usage === null
          ? {}
          : { usage: reply.usage ?? { prompt_tokens: promptTokens, completion_tokens: Math.ceil(text.length / 4), total_tokens: promptTokens + Math.ceil(text.length / 4) } }),
      },
      reply.headers,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) send(res, 500, { error: { message: error.message } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    respondWith(next) {
      respond = next;
    },
    reset() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
