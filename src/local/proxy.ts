import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** What a fault hook may do with one request before it reaches the peer. */
export type ProxyDecision =
  | { kind: "forward" }
  /** Answer with an AWS-style error without forwarding. */
  | { kind: "error"; status: number; body: string; headers?: Record<string, string> };

export interface ProxiedRequest {
  operation: string;
  body: Buffer;
  headers: IncomingHttpHeaders;
}

export interface CountingProxy {
  endpoint: string;
  /** Requests per operation (DynamoDB X-Amz-Target action, or the query-protocol Action). */
  counts(): Record<string, number>;
  responseBytes(): number;
  reset(): void;
  /** Decides per request whether to forward it or to fail it (fault injection). */
  setHook(hook: ((request: ProxiedRequest) => ProxyDecision) | undefined): void;
  stop(): Promise<void>;
}

/** The operation name of an AWS request: JSON protocols put it in X-Amz-Target, query protocols in the form body. */
export function operationOf(headers: IncomingHttpHeaders, body: Buffer): string {
  const target = headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop() ?? target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body.toString("utf8"));
  return action?.[1] ? decodeURIComponent(action[1]) : "unknown";
}

/**
 * A transparent HTTP proxy on 127.0.0.1 in front of a local peer: counts requests per operation (the benchmark's
 * DynamoDB request figures) and can fail chosen requests (the fault campaign). The SDK talks to it as to AWS.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let counts: Record<string, number> = {};
  let bytes = 0;
  let hook: ((request: ProxiedRequest) => ProxyDecision) | undefined;

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(incoming.headers, body);
      counts[operation] = (counts[operation] ?? 0) + 1;
      const decision = hook?.({ operation, body, headers: incoming.headers }) ?? { kind: "forward" };
      if (decision.kind === "error") {
        outgoing.writeHead(decision.status, { "content-type": "application/x-amz-json-1.0", ...decision.headers });
        outgoing.end(decision.body);
        return;
      }
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
          });
          response.pipe(outgoing);
        },
      );
      forwarded.on("error", (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
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
