import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** An answer the proxy sends in place of (or instead of asking) the peer. */
export interface ProxiedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** What a fault hook may do with one request before it reaches the peer. */
export type ProxyDecision =
  | {
      kind: "forward";
      /** Replaces the request body sent to the peer (e.g. a PublishBatch with some entries removed). */
      body?: Buffer;
      /** Waits this long before forwarding: a slow network or a slow peer. */
      delayMs?: number;
      /**
       * Sees the peer's whole answer and returns the one the client gets (e.g. failed batch entries added inside
       * an HTTP 200, or a write that succeeded reported as a 500). Without it the answer is streamed through as is.
       */
      respond?: (response: ProxiedResponse) => ProxiedResponse;
    }
  /** Answer with an AWS-style error without forwarding. */
  | { kind: "error"; status: number; body: string; headers?: Record<string, string>; delayMs?: number }
  /** Answer with anything (a success included) without forwarding. */
  | { kind: "respond"; status: number; body: string; headers?: Record<string, string>; delayMs?: number };

export interface ProxiedRequest {
  operation: string;
  body: Buffer;
  headers: IncomingHttpHeaders;
  /** HTTP method and path with query: rest-json services (Bedrock) name the operation only there. */
  method: string;
  path: string;
}

export type ProxyHook = (request: ProxiedRequest) => ProxyDecision;

export interface CountingProxy {
  endpoint: string;
  /** Requests per operation (DynamoDB X-Amz-Target action, or the query-protocol Action). */
  counts(): Record<string, number>;
  responseBytes(): number;
  reset(): void;
  /** Decides per request whether to forward it (possibly rewritten or delayed) or to answer it itself. */
  setHook(hook: ProxyHook | undefined): void;
  stop(): Promise<void>;
}

/** The operation name of an AWS request: JSON protocols put it in X-Amz-Target, query protocols in the form body. */
export function operationOf(headers: IncomingHttpHeaders, body: Buffer): string {
  const target = headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop() ?? target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body.toString("utf8"));
  return action?.[1] ? decodeURIComponent(action[1]) : "unknown";
}

const wait = (ms: number | undefined): Promise<void> =>
  ms && ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/**
 * Headers that describe the original bytes. A rewritten body gets its own length; a checksum of the old body
 * (DynamoDB's x-amz-crc32) would no longer match it.
 */
const BODY_HEADERS = ["content-length", "transfer-encoding", "x-amz-crc32", "content-encoding"];

function withBody<T extends IncomingHttpHeaders | OutgoingHttpHeaders>(headers: T, body: Buffer): T {
  const copy = { ...headers };
  for (const name of BODY_HEADERS) delete copy[name];
  return { ...copy, "content-length": String(body.length) };
}

/**
 * A transparent HTTP proxy on 127.0.0.1 in front of a local peer: counts requests per operation (the benchmark's
 * DynamoDB request figures) and lets a hook fail, delay or rewrite chosen requests and responses (the fault
 * campaign, bad-input tests). The SDK talks to it as to AWS.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let counts: Record<string, number> = {};
  let bytes = 0;
  let hook: ProxyHook | undefined;

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer): Promise<void> => {
    const operation = operationOf(incoming.headers, body);
    counts[operation] = (counts[operation] ?? 0) + 1;
    const decision: ProxyDecision = hook?.({
      operation,
      body,
      headers: incoming.headers,
      method: incoming.method ?? "GET",
      path: incoming.url ?? "/",
    }) ?? { kind: "forward" };
    await wait(decision.delayMs);
    if (decision.kind !== "forward") {
      outgoing.writeHead(decision.status, { "content-type": "application/x-amz-json-1.0", ...decision.headers });
      outgoing.end(decision.body);
      return;
    }
    const sent = decision.body ?? body;
    const respond = decision.respond;
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: decision.body
          ? withBody({ ...incoming.headers, host: upstream.host }, sent)
          : { ...incoming.headers, host: upstream.host },
      },
      (response) => {
        if (!respond) {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
          });
          response.pipe(outgoing);
          return;
        }
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const original = Buffer.concat(chunks);
          bytes += original.length;
          const answer = respond({ status: response.statusCode ?? 502, headers: response.headers, body: original });
          outgoing.writeHead(answer.status, withBody(answer.headers, answer.body));
          outgoing.end(answer.body);
        });
      },
    );
    forwarded.on("error", (error) => {
      outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    forwarded.end(sent);
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      handle(incoming, outgoing, Buffer.concat(chunks)).catch((error: unknown) => {
        // A hook that throws is a bug in a test: answer 502 so the client fails loudly rather than hangs.
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    responseBytes: () => bytes,
    reset: () => {
      counts = {};
      bytes = 0;
    },
    setHook: (next) => {
      hook = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
