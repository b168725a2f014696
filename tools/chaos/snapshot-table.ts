import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, paginateScan } from "@aws-sdk/lib-dynamodb";
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalStack } from "../local-stack/stack";

/**
 * Reads the snapshot table straight from dynalite, past the fault-injecting proxy, with a plain client: the
 * judge of a scenario must not share the code (or the faults) it judges.
 */
export class SnapshotTable {
  readonly #client: DynamoDBDocumentClient;

  constructor(private readonly stack: Pick<LocalStack, "dynamodbEndpoint" | "tableName">) {
    this.#client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: stack.dynamodbEndpoint }),
    );
  }

  async rows(): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    for await (const page of paginateScan({ client: this.#client }, { TableName: this.stack.tableName })) {
      rows.push(...(page.Items ?? []));
    }
    return rows;
  }

  /** When the current writer lease runs out (epoch ms), or undefined when none is held. */
  async leaseUntil(): Promise<number | undefined> {
    const meta = await this.#client.send(
      new GetCommand({ TableName: this.stack.tableName, Key: { pk: "meta#poller" }, ConsistentRead: true }),
    );
    const until = meta.Item?.leaseUntil;
    return typeof until === "number" ? until : undefined;
  }

  destroy(): void {
    this.#client.destroy();
  }
}
