import { BedrockClient } from "@aws-sdk/client-bedrock";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AssumedRoleCredentials } from "../src/adapters/assumed-role-credentials";
import { BedrockJobSource } from "../src/adapters/bedrock";
import { DynamoDbSnapshotStore, snapshotKeysFor } from "../src/adapters/dynamodb";
import { boundedClient } from "../src/adapters/request-deadline";
import { type Scope, scopeId } from "../src/domain/scope";
import type { ScopeAccess } from "../src/estate/ports";
import type { Diagnostics } from "../src/poll/ports";

export interface ScopeAccessOptions {
  home: Scope;
  snapshotTable: string;
  documents: DynamoDBDocumentClient;
  credentials: AssumedRoleCredentials;
  diagnostics: Diagnostics;
}

/**
 * Each scope's Bedrock client and snapshot store, built on first use and kept for the warm sandbox's life. The home
 * account's scopes use the function's own role; every other account's clients take the shared AssumeRole cache,
 * so one member session serves all of that account's regions.
 */
export class ScopeAccessCache {
  readonly #built = new Map<string, ScopeAccess & { jobs: BedrockJobSource }>();
  constructor(private readonly options: ScopeAccessOptions) {}

  /** Bedrock calls made so far, across every scope. */
  get bedrockCalls(): number {
    let calls = 0;
    for (const access of this.#built.values()) calls += access.jobs.calls;
    return calls;
  }

  readonly get = (scope: Scope): ScopeAccess => {
    const key = scopeId(scope);
    let access = this.#built.get(key);
    if (!access) {
      const { home, credentials, diagnostics } = this.options;
      const client = boundedClient(BedrockClient, {
        region: scope.region,
        ...(scope.accountId === home.accountId ? {} : { credentials: credentials.providerFor(scope.accountId) }),
      });
      access = {
        jobs: new BedrockJobSource(client, diagnostics),
        snapshot: new DynamoDbSnapshotStore(
          this.options.documents,
          this.options.snapshotTable,
          diagnostics,
          snapshotKeysFor(scope, home),
        ),
      };
      this.#built.set(key, access);
    }
    return access;
  };
}
