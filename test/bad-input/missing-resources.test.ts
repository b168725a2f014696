import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { loadPollHandler } from "../../tools/local-stack/handlers";
import { type BadInputStack, pollWith, startBadInputStack } from "../support/bad-input-stack";
import { captureOutput } from "../support/output";

/** A fresh handler reading the current environment, as a deployment with that configuration would. */
async function handlerWith(env: Record<string, string>): Promise<PollHandler> {
  Object.assign(process.env, env);
  vi.resetModules();
  return await loadPollHandler();
}

describe("a table or topic that does not exist", () => {
  let bad: BadInputStack;
  let table: string;
  let topic: string;

  beforeAll(async () => {
    bad = await startBadInputStack({ FIRST_RUN: "notify" });
    table = bad.stack.tableName;
    topic = bad.stack.topicArn;
  });

  afterAll(async () => {
    await bad?.stop();
  });

  it("fails the poll with a ResourceMissingError naming SNAPSHOT_TABLE and the table", async () => {
    // Prepare
    const poll = await handlerWith({ SNAPSHOT_TABLE: "bedrock-job-notifier-typo", TOPIC_ARN: topic });

    // Act
    const { error } = await captureOutput(() => pollWith(poll));

    // Assess
    expect(error).toMatchObject({ name: "ResourceMissingError" });
    expect((error as Error).message).toBe(
      'The table "bedrock-job-notifier-typo" does not exist or is not visible in this region. ' +
        "Check SNAPSHOT_TABLE and the deployment.",
    );
  });

  it("fails the poll with a ResourceMissingError naming TOPIC_ARN and the topic, and commits nothing", async () => {
    // Prepare
    const missing = topic.replace(/:[^:]+$/, ":bedrock-job-notifier-typo");
    const arn = bad.addJob("waits-for-a-topic");
    const poll = await handlerWith({ SNAPSHOT_TABLE: table, TOPIC_ARN: missing });

    // Act
    const { error } = await captureOutput(() => pollWith(poll));
    const fixed = await handlerWith({ TOPIC_ARN: topic });
    await captureOutput(() => pollWith(fixed));

    // Assess
    expect(error).toMatchObject({ name: "ResourceMissingError" });
    expect((error as Error).message).toContain(`The topic "${missing}" does not exist`);
    expect((error as Error).message).toContain("Check TOPIC_ARN");
    expect((await bad.events()).map((event) => event.job.jobArn)).toEqual([arn]);
  });
});
