import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

const READ_OPERATIONS = new Set(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"]);

export interface CapacityProxy {
  endpoint: string;
  /** Capacity units dynalite reported since the last reset. */
  units(): { read: number; write: number };
  reset(): void;
  stop(): Promise<void>;
}

interface ConsumedCapacity {
  CapacityUnits?: number;
}

/**
 * A proxy in front of the DynamoDB endpoint that asks for ReturnConsumedCapacity=TOTAL on every request and sums
 * what comes back. Request counts alone hide what DynamoDB bills (a 1 MB Scan page is one request but hundreds of
 * read units), and the pollers' own code should not have to change to be measured. dynalite checks no signature,
 * so amending the body is safe; responses pass through untouched (the SDK checks their CRC32).
 */
export async function startCapacityProxy(target: string): Promise<CapacityProxy> {
  const upstream = new URL(target);
  let read = 0;
  let write = 0;

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const target = String(incoming.headers["x-amz-target"] ?? "");
      const operation = target.split(".").pop() ?? "";
      const body = withCapacityRequested(Buffer.concat(chunks));
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host, "content-length": body.length },
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on("data", (chunk: Buffer) => parts.push(chunk));
          response.on("end", () => {
            const payload = Buffer.concat(parts);
            const units = capacityOf(payload);
            if (READ_OPERATIONS.has(operation)) read += units;
            else write += units;
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            outgoing.end(payload);
          });
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
    units: () => ({ read, write }),
    reset: () => {
      read = 0;
      write = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function withCapacityRequested(body: Buffer): Buffer {
  try {
    const request = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    if (request.ReturnConsumedCapacity !== undefined) return body;
    return Buffer.from(JSON.stringify({ ...request, ReturnConsumedCapacity: "TOTAL" }));
  } catch {
    return body;
  }
}

/** Single-item operations answer one ConsumedCapacity object; batch operations an array of them. */
function capacityOf(payload: Buffer): number {
  try {
    const consumed = (JSON.parse(payload.toString("utf8")) as { ConsumedCapacity?: unknown }).ConsumedCapacity;
    const entries = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as ConsumedCapacity[];
    return entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
  } catch {
    return 0;
  }
}
