import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { parse } from "yaml";

/** The resource definitions the local stack copies from serverless.yml, so local and deployed tables never drift. */
export interface TemplateResources {
  snapshotTable: Omit<CreateTableCommandInput, "TableName">;
  /** The attribute DynamoDB's TTL would delete rows by (dynalite has no TTL: rows stay, harmlessly). */
  ttlAttribute: string | undefined;
  topicDisplayName: string | undefined;
}

type Resource = { Type?: string; Properties?: Record<string, unknown> };

const projectRoot = join(__dirname, "..", "..");

function resourcesOf(template: Record<string, unknown>): Record<string, Resource> {
  const blocks = Array.isArray(template.resources) ? template.resources : [template.resources];
  const merged: Record<string, Resource> = {};
  for (const block of blocks) {
    // File includes (`${file(...)}`) stay strings here; the core resources are inline.
    if (typeof block === "object" && block !== null && "Resources" in block) {
      Object.assign(merged, (block as { Resources: Record<string, Resource> }).Resources);
    }
  }
  return merged;
}

export function readTemplateResources(path = join(projectRoot, "serverless.yml")): TemplateResources {
  // CloudFormation short tags (!Ref, !Sub...) are left unresolved: only literal properties are used.
  const template = parse(readFileSync(path, "utf8"), { logLevel: "silent" }) as Record<string, unknown>;
  const resources = resourcesOf(template);
  const table = resources.SnapshotTable?.Properties;
  if (!table) throw new Error(`serverless.yml defines no SnapshotTable resource (${path})`);
  const snapshotTable = {
    BillingMode: table.BillingMode,
    AttributeDefinitions: table.AttributeDefinitions,
    KeySchema: table.KeySchema,
    GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
  } as Omit<CreateTableCommandInput, "TableName">;
  const ttl = table.TimeToLiveSpecification as { AttributeName?: string } | undefined;
  const displayName = resources.EventsTopic?.Properties?.DisplayName;
  return {
    snapshotTable,
    ttlAttribute: ttl?.AttributeName,
    topicDisplayName: typeof displayName === "string" ? displayName : undefined,
  };
}

/** The people channels' delivery table (Powertools idempotency records), as serverless/channels-resources.yml declares it. */
export function readDeliveryTable(
  path = join(projectRoot, "serverless", "channels-resources.yml"),
): Omit<CreateTableCommandInput, "TableName"> {
  const fragment = parse(readFileSync(path, "utf8"), { logLevel: "silent" }) as Record<string, unknown>;
  const table = resourcesOf({ resources: fragment }).NotifyDeliveryTable?.Properties;
  if (!table) throw new Error(`${path} defines no NotifyDeliveryTable resource`);
  return {
    BillingMode: table.BillingMode,
    AttributeDefinitions: table.AttributeDefinitions,
    KeySchema: table.KeySchema,
  } as Omit<CreateTableCommandInput, "TableName">;
}

/** Creates the delivery table as the template declares it and waits until it is ACTIVE. */
export async function createDeliveryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({ ...readDeliveryTable(), TableName: tableName }));
  await waitUntilActive(client, tableName);
}

/**
 * Creates the snapshot table as serverless.yml declares it and waits until it is ACTIVE: a table still CREATING
 * answers ResourceNotFoundException, in dynalite as in DynamoDB.
 */
export async function createSnapshotTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({ ...readTemplateResources().snapshotTable, TableName: tableName }));
  await waitUntilActive(client, tableName);
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
