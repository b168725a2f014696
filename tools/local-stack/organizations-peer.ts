import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalPeer } from "./peers";

export interface OrganizationAccount {
  id: string;
  name?: string;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE, as Organizations reports them. */
  state?: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
}

export interface OrganizationsPeer extends LocalPeer {
  /** ListAccounts requests served. */
  readonly calls: number;
}

const TARGET = "AWSOrganizationsV20161128.ListAccounts";

/**
 * AWS Organizations' ListAccounts on 127.0.0.1, as the SDK speaks it (awsJson1_1: `POST /`, `X-Amz-Target`), paged
 * `pageSize` accounts at a time, so a dispatcher with `organization=true` runs against a real protocol peer. Accounts
 * carry both `State` and the older `Status`. Any other operation answers UnknownOperationException.
 */
export async function startOrganizationsPeer(
  accounts: readonly OrganizationAccount[],
  { pageSize = 2 } = {},
): Promise<OrganizationsPeer> {
  let calls = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answer = (status: number, body: unknown, errorType?: string) => {
        response.writeHead(status, {
          "content-type": "application/x-amz-json-1.1",
          ...(errorType ? { "x-amzn-errortype": errorType } : {}),
        });
        response.end(JSON.stringify(body));
      };
      if (request.headers["x-amz-target"] !== TARGET) {
        answer(
          400,
          { __type: "UnknownOperationException", message: "Only ListAccounts is emulated." },
          "UnknownOperationException",
        );
        return;
      }
      calls++;
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { NextToken?: string };
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const page = accounts.slice(start, start + pageSize);
      const next = start + pageSize < accounts.length ? String(start + pageSize) : undefined;
      answer(200, {
        Accounts: page.map((account) => {
          const state = account.state ?? "ACTIVE";
          return {
            Id: account.id,
            Arn: `arn:aws:organizations::${accounts[0]?.id ?? account.id}:account/o-exampleorg1/${account.id}`,
            Name: account.name ?? account.id,
            Email: `${account.id}@example.com`,
            State: state,
            // The older field only knows ACTIVE and SUSPENDED.
            Status: state === "ACTIVE" ? "ACTIVE" : "SUSPENDED",
            JoinedMethod: "CREATED",
            JoinedTimestamp: 1_700_000_000,
          };
        }),
        ...(next ? { NextToken: next } : {}),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
