import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDigestEvent, emptyScopeDigest } from "../../src/domain/digest";
import { buildEvent } from "../../src/domain/event";
import type { BatchJob } from "../../src/domain/job";
import { attributesOf } from "../../src/domain/message-attributes";
import type { NotifierEvent } from "../../src/domain/notifier-event";
import { jobProgress } from "../../src/domain/progress";
import { DEFAULT_PEOPLE_FILTER, matches, type RouteFilter, toSnsFilterPolicy } from "../../src/domain/route-filter";
import { KNOWN_STATUSES } from "../../src/domain/status";
import { buildWarningEvent } from "../../src/domain/warning-event";
import { WARNING_KINDS } from "../../src/domain/warnings";
import { type LocalPeer, startFauxqs } from "../../tools/local-stack/peers";
import { T0 } from "../support/factories";

/**
 * The filter model applied both ways gives the same answer: 200 seeded events (transitions of every status, warnings
 * of every kind, digests, several accounts, regions, models and names, some jobs whose ARN names no account or region)
 * go through fauxqs subscriptions holding the compiled policies, and through `matches`.
 */
const ACCOUNTS = ["111111111111", "222222222222", "333333333333"];
const REGIONS = ["us-east-1", "eu-west-1", "ap-south-1"];
const MODELS = ["anthropic.claude-3-haiku-20240307-v1:0", "amazon.nova-pro-v1:0", "meta.llama3-70b-instruct-v1:0"];
const NAMES = ["nightly-eval-1", "nightly-summaries", "weekly-x", "adhoc-prod-7", "nightly"];

/** mulberry32: the same 200 events on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seededEvents(count: number): NotifierEvent[] {
  const random = seeded(13);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const events: NotifierEvent[] = [];
  for (let i = 0; i < count; i++) {
    // A job ARN without account and region (a partition-less one) now and then: its events lack those attributes.
    const arn =
      i % 17 === 5
        ? `job-${i}`
        : `arn:aws:bedrock:${pick(REGIONS)}:${pick(ACCOUNTS)}:model-invocation-job/${String(i).padStart(12, "0")}`;
    const job: BatchJob = {
      jobArn: arn,
      jobName: pick(NAMES),
      modelId: pick(MODELS),
      status: KNOWN_STATUSES[i % KNOWN_STATUSES.length] as string,
      submitTime: T0,
      lastModifiedTime: T0,
    };
    if (i % 40 === 39) {
      events.push(
        buildDigestEvent("dev", [emptyScopeDigest({ accountId: pick(ACCOUNTS), region: pick(REGIONS) }, null)], T0),
      );
    } else if (i % 4 === 3) {
      const kind = WARNING_KINDS[Math.floor(i / 4) % WARNING_KINDS.length] as (typeof WARNING_KINDS)[number];
      const running = { ...job, status: "InProgress" };
      const warning = { kind, unit: "minutes" as const, threshold: 60, observed: 90, summary: "s" };
      events.push(buildWarningEvent(running, warning, jobProgress(running, T0), T0));
    } else {
      events.push(buildEvent({ job, previousStatus: i % 3 === 0 ? null : "InProgress" }, T0));
    }
  }
  return events;
}

/** A filter on every field (jobNames exact and prefix: a glob is filtered in code only), and a few combinations. */
const FILTERS: Record<string, RouteFilter> = {
  "people default": DEFAULT_PEOPLE_FILTER,
  eventTypes: { eventTypes: ["warning", "digest"] },
  statuses: { statuses: ["Failed", "Expired", "Stopped"] },
  severities: { severities: ["error", "warning"] },
  warningKinds: { warningKinds: ["ExpiryApproaching", "NoProgress"] },
  "jobNames exact": { jobNames: ["nightly", "weekly-x"] },
  "jobNames prefix": { jobNames: ["nightly-*"] },
  modelIds: { modelIds: ["amazon.nova-pro-v1:0"] },
  accounts: { accounts: ["111111111111", "333333333333"] },
  regions: { regions: ["eu-west-1"] },
  "prod failures": { statuses: ["Failed", "Expired"], accounts: ["111111111111"], regions: ["us-east-1"] },
  "staging, default types": { ...DEFAULT_PEOPLE_FILTER, accounts: ["222222222222"] },
  "warnings and failures of nightly jobs": {
    statuses: ["Failed"],
    warningKinds: ["StuckInStatus", "MayNotFinish", "HighErrorRate"],
    jobNames: ["nightly*"],
  },
};

let fauxqs: LocalPeer;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  sns = new SNSClient({ endpoint: fauxqs.endpoint, region: "us-east-1", credentials });
  sqs = new SQSClient({ endpoint: fauxqs.endpoint, region: "us-east-1", credentials });
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await fauxqs?.stop();
});

async function receiveEverything(queueUrl: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return ids;
    for (const message of Messages) ids.add(String(message.Body));
  }
}

describe("a route filter applied by SNS (fauxqs) and in code", () => {
  it("selects the same events out of 200, for a filter on every field", async () => {
    // Prepare: one topic, one raw-delivery queue per filter behind its compiled policy.
    const events = seededEvents(200);
    const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: "route-parity" }));
    const queues: Record<string, string> = {};
    for (const [index, [name, filter]] of Object.entries(FILTERS).entries()) {
      const compiled = toSnsFilterPolicy(filter);
      if (!compiled.ok) throw new Error(`${name} does not compile: ${compiled.reason}`);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `route-parity-${index}` }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: "sqs",
          Endpoint: Attributes?.QueueArn,
          Attributes: { RawMessageDelivery: "true", FilterPolicy: JSON.stringify(compiled.policy) },
        }),
      );
      queues[name] = String(QueueUrl);
    }

    // Act: every event published once, with the attributes the notifier publishes it with; the body is its id.
    for (const event of events) {
      const attributes = attributesOf(event);
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: event.eventId,
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([key, value]) => [key, { DataType: "String", StringValue: value }]),
          ),
        }),
      );
    }

    // Assess
    const summary: Record<string, number> = {};
    for (const [name, filter] of Object.entries(FILTERS)) {
      const bySns = await receiveEverything(queues[name] as string);
      const inCode = new Set(events.filter((event) => matches(filter, event)).map((event) => event.eventId));
      expect([...bySns].sort(), name).toEqual([...inCode].sort());
      summary[name] = inCode.size;
    }
    // Each filter selects some events and leaves some out, so the comparison is never trivially empty or full.
    for (const [name, count] of Object.entries(summary)) {
      expect(count, name).toBeGreaterThan(0);
      expect(count, name).toBeLessThan(events.length);
    }
    // The sample covers every status, every warning kind and the digest.
    const types = new Set(
      events.map((event) => attributesOf(event).status ?? attributesOf(event).warningKind ?? event.type),
    );
    expect(types.size).toBe(KNOWN_STATUSES.length + WARNING_KINDS.length + 1);
  });
});
