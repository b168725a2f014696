import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EventBridgeBus } from "../../src/adapters/eventbridge";
import { EventBusPutError } from "../../src/errors";
import type { BusEvent } from "../../src/notify/ports";

const eventBridge = mockClient(EventBridgeClient);
const client = new EventBridgeClient({ region: "us-east-1" });

const busEvent: BusEvent = {
  source: "bedrock-job-notifier",
  detailType: "Bedrock Batch Job Status Change",
  detail: '{"schemaVersion":"1.0"}',
  resources: ["arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghwxyz"],
  time: new Date("2024-08-29T01:15:00.000Z"),
};

afterEach(() => eventBridge.reset());

describe("EventBridgeBus", () => {
  it("puts one entry on the named bus", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });

    // Act
    await new EventBridgeBus(client, "bedrock-jobs").put(busEvent);

    // Assess
    expect(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input).toEqual({
      Entries: [
        {
          EventBusName: "bedrock-jobs",
          Source: "bedrock-job-notifier",
          DetailType: "Bedrock Batch Job Status Change",
          Detail: '{"schemaVersion":"1.0"}',
          Resources: ["arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghwxyz"],
          Time: new Date("2024-08-29T01:15:00.000Z"),
        },
      ],
    });
  });

  it("throws with the entry's error code when the answer reports a failed entry", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "not allowed" }],
    });

    // Act
    const putting = new EventBridgeBus(client, "bedrock-jobs").put(busEvent);

    // Assess
    await expect(putting).rejects.toBeInstanceOf(EventBusPutError);
    await expect(putting).rejects.toThrow(
      'EventBridge refused the event on bus "bedrock-jobs": NotAuthorizedForSourceException not allowed',
    );
  });

  it("throws when an entry carries an error code even though FailedEntryCount says 0", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ ErrorCode: "InternalFailure" }] });

    // Act
    const putting = new EventBridgeBus(client, "bedrock-jobs").put(busEvent);

    // Assess
    await expect(putting).rejects.toMatchObject({ errorCode: "InternalFailure" });
  });

  it("lets an SDK error through for the caller to retry", async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));

    // Act
    const putting = new EventBridgeBus(client, "bedrock-jobs").put(busEvent);

    // Assess
    await expect(putting).rejects.toThrow("denied");
  });
});
