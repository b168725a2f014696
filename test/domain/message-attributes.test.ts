import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildDigestEvent, emptyScopeDigest } from "../../src/domain/digest";
import { buildEvent, type EventType } from "../../src/domain/event";
import {
  attributesOf,
  digestAttributes,
  MAX_MESSAGE_ATTRIBUTES,
  MESSAGE_ATTRIBUTES,
  messageAttributes,
  warningAttributes,
} from "../../src/domain/message-attributes";
import { jobProgress } from "../../src/domain/progress";
import { buildWarningEvent } from "../../src/domain/warning-event";
import { aJob, T0 } from "../support/factories";

const running = aJob("c", { status: "InProgress", records: { total: 1000, processed: 200, success: 150, error: 50 } });
const WARNING = buildWarningEvent(
  running,
  { kind: "HighErrorRate", unit: "percent", threshold: 5, observed: 25, summary: "25% of the records failed." },
  jobProgress(running, T0),
  T0,
);

/** One event of each type the notifier publishes. */
const EVENTS: Record<EventType, ReturnType<typeof buildEvent>> = {
  JobDiscovered: buildEvent({ job: aJob("a", { status: "Submitted" }), previousStatus: null }, T0),
  JobStatusChanged: buildEvent({ job: aJob("b", { status: "Failed" }), previousStatus: "InProgress" }, T0),
};

describe("the message attribute registry", () => {
  it.each(Object.entries(EVENTS))(
    "gives a %s event at most 10 attributes, all registered, none empty",
    (_type, event) => {
      // Act
      const attributes = messageAttributes(event);

      // Assess: SQS raw message delivery drops a message with more than 10 attributes.
      expect(Object.keys(attributes).length).toBeLessThanOrEqual(MAX_MESSAGE_ATTRIBUTES);
      expect(Object.keys(attributes).every((name) => name in MESSAGE_ATTRIBUTES)).toBe(true);
      for (const value of Object.values(attributes)) expect(value).toMatch(/\S/);
    },
  );

  it("names the job's account and region, and leaves both out (never empty) when the ARN did not give them", () => {
    // Prepare
    const event = EVENTS.JobStatusChanged;
    const unplaced = { ...event, job: { ...event.job, accountId: null, region: null } };

    // Act
    const placed = messageAttributes(event);
    const without = messageAttributes(unplaced);

    // Assess
    expect(placed).toMatchObject({ accountId: event.job.accountId, region: event.job.region });
    expect(Object.keys(placed).sort()).toEqual(
      ["eventType", "status", "previousStatus", "severity", "jobName", "modelId", "accountId", "region"].sort(),
    );
    expect(without).not.toHaveProperty("accountId");
    expect(without).not.toHaveProperty("region");
  });

  it("gives a JobWarning event its kind, at most 10 attributes, and no status a filter on status could select", () => {
    // Act
    const attributes = warningAttributes(WARNING);

    // Assess
    expect(attributes).toEqual({
      eventType: "JobWarning",
      warningKind: "HighErrorRate",
      severity: "warning",
      jobName: running.jobName,
      modelId: running.modelId,
      accountId: "123456789012",
      region: "us-east-1",
    });
    expect(attributes).not.toHaveProperty("status");
    expect(attributes).not.toHaveProperty("previousStatus");
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(MAX_MESSAGE_ATTRIBUTES);
    expect(Object.keys(attributes).every((name) => name in MESSAGE_ATTRIBUTES)).toBe(true);
  });

  it("gives the DailyDigest its type and severity only: no job, status, account or region a filter could select", () => {
    // Prepare
    const digest = buildDigestEvent(
      "deployment",
      [emptyScopeDigest({ accountId: "123456789012", region: "us-east-1" }, "Error: the scope could not be read")],
      T0,
    );

    // Act
    const attributes = digestAttributes(digest);

    // Assess
    expect(attributes).toEqual({ eventType: "DailyDigest", severity: "error" });
    expect(attributesOf(digest)).toEqual(attributes);
    expect(Object.keys(attributes).every((name) => name in MESSAGE_ATTRIBUTES)).toBe(true);
  });

  it("registers no more attributes than one message may carry", () => {
    expect(Object.keys(MESSAGE_ATTRIBUTES).length).toBeLessThanOrEqual(MAX_MESSAGE_ATTRIBUTES);
  });

  it("is listed, attribute by attribute, in docs/architecture.md", () => {
    // Prepare
    const doc = readFileSync(new URL("../../docs/architecture.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("## Message attributes"));
    const listed = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1]);

    // Assess
    expect(listed).toEqual(Object.keys(MESSAGE_ATTRIBUTES));
  });
});
