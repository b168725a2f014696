import { describe, expect, it } from "vitest";
import type { JobStatusEvent } from "../../../src/domain/event";
import { SUBJECT_MAX } from "../../../src/domain/message";
import { RENDER_FORMATS, renderFor } from "../../../src/domain/render";
import { renderChatTopicMessage } from "../../../src/domain/render/chatbot";
import { renderEmail } from "../../../src/domain/render/email";
import { factsOf } from "../../../src/domain/render/facts";
import { nextStepsFor } from "../../../src/domain/render/next-steps";
import { renderSlackMessage } from "../../../src/domain/render/slack";
import { renderTeamsMessage } from "../../../src/domain/render/teams";
import type { JobWarningEvent } from "../../../src/domain/warning-event";
import { WARNING_KINDS } from "../../../src/domain/warnings";
import { CASES, GOLDEN_ACCOUNT_ALIASES, WARNING_CASES } from "../../../tools/samples/events";

const OPTIONS = { accountAliases: GOLDEN_ACCOUNT_ALIASES };
const PEOPLE_FORMATS = RENDER_FORMATS.filter((format) => format !== "json");
const highErrorRate = WARNING_CASES["warning-high-error-rate"] as JobWarningEvent;

describe("an early warning, for people", () => {
  for (const [name, event] of Object.entries(WARNING_CASES)) {
    for (const format of PEOPLE_FORMATS) {
      it(`shows the ${name} warning's kind, summary, measure, scope, progress and next steps in ${format}`, () => {
        // Prepare
        const facts = factsOf(event, OPTIONS);

        // Act
        const rendered = renderFor(format, event, OPTIONS);

        // Assess: JSON-escaped in the JSON formats, so compare against the same escaping
        const shown = format === "email" ? rendered : JSON.parse(JSON.stringify(rendered));
        expect(shown).toContain(`Early warning: ${event.warning.kind}`);
        expect(shown).toContain(event.warning.summary.slice(0, 30));
        expect(shown).toContain(`threshold ${facts.warning?.threshold}`);
        expect(shown).toContain(`observed ${facts.warning?.observed}`);
        expect(shown).toContain("prod (123456789012)");
        expect(shown).toContain("us-east-1");
        expect(shown).toContain(facts.progress as string);
        expect(shown).toContain("#/batch-inference");
        expect(facts.nextSteps.length).toBeGreaterThan(0);
        // Steps are escaped for chat; their opening words survive any escaping.
        for (const step of facts.nextSteps) expect(shown).toContain(step.slice(0, 20));
      });
    }
  }

  it("gives every kind its own next steps", () => {
    // Prepare
    const event = highErrorRate;

    // Act
    const steps = WARNING_KINDS.map((kind) =>
      nextStepsFor({ ...event, warning: { ...event.warning, kind } }).join(" "),
    );

    // Assess
    expect(new Set(steps).size).toBe(WARNING_KINDS.length);
    expect(steps[0]).toContain("another region");
    expect(steps[1]).toContain("Service Quotas");
    expect(steps[2]).toContain("error records");
    expect(steps[2]).toContain(event.job.outputS3Uri);
    expect(steps[3]).toContain("throttling");
    expect(steps[4]).toContain("split the input");
  });

  it("keeps the email subject under the SNS limit and the kind readable with the longest job name Bedrock allows", () => {
    // Prepare
    const longest = { ...highErrorRate, job: { ...highErrorRate.job, jobName: "j".repeat(63) } };

    // Act
    const { subject, attributes } = renderEmail(longest);

    // Assess
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject).toMatch(/^\[WARNING\] Bedrock batch job j+\.\.\.: HighErrorRate$/);
    expect(attributes).toMatchObject({ eventType: "JobWarning", warningKind: "HighErrorRate" });
    expect(attributes).not.toHaveProperty("status");
  });

  it("publishes the chat notification with the warning's attributes, in the job's thread", () => {
    // Act
    const { notification, attributes } = renderChatTopicMessage(highErrorRate);

    // Assess
    expect(attributes).toMatchObject({ eventType: "JobWarning", warningKind: "HighErrorRate" });
    expect(attributes).not.toHaveProperty("status");
    expect(notification.metadata).toMatchObject({ threadId: highErrorRate.job.jobArn, eventType: "JobWarning" });
    expect(notification.metadata.additionalContext).toMatchObject({
      warningKind: "HighErrorRate",
      warningThreshold: "5",
      warningObserved: "7.5",
    });
    expect(notification.metadata.additionalContext).not.toHaveProperty("previousStatus");
  });

  it("escapes a hostile summary and job name like any job text", () => {
    // Prepare
    const hostile = "<!channel> <https://evil.example|click> [link](http://evil)";
    const event: JobWarningEvent = {
      ...highErrorRate,
      warning: { ...highErrorRate.warning, summary: `Failing ${hostile}` },
      job: { ...highErrorRate.job, jobName: `name-${hostile}` },
    };

    // Act
    const slack = JSON.stringify(renderSlackMessage(event));
    const { content, metadata } = renderChatTopicMessage(event).notification;
    const chat = JSON.stringify([content.title, content.description, metadata.summary]);
    const teams = JSON.stringify(renderTeamsMessage(event).attachments[0]?.content.body);

    // Assess
    expect(slack).not.toContain("<!channel>");
    expect(slack).not.toContain("<https://evil.example|click>");
    expect(chat).not.toContain("<!channel>");
    // The summary is chat text, not a code span: its angle and link brackets are swapped for look-alikes.
    expect(content.description).toContain(
      "Failing \uff1c!channel\uff1e \uff1chttps://evil.example|click\uff1e \uff3blink\uff3d(http://evil)",
    );
    expect(teams).not.toContain("[link](http://evil)");
  });
});

describe("progress on transitions", () => {
  it("shows processed/total, the error rate and an ETA when a job is seen running", () => {
    // Act
    const facts = factsOf(CASES["in-progress"] as JobStatusEvent);

    // Assess
    expect(facts.progress).toBe(
      "250 of 1,000 processed (25%) · error rate 1.2% · ETA 2024-08-29 04:15:00 UTC (in 3 h)",
    );
    expect(facts.throughput).toBeNull();
  });

  it("shows the duration and the throughput in records per hour when a job ends", () => {
    // Act
    const facts = factsOf(CASES.completed as JobStatusEvent);
    const email = renderEmail(CASES.completed as JobStatusEvent).body;

    // Assess
    expect(facts.throughput).toBe("500 records/h");
    expect(facts.progress).toBeNull();
    expect(email).toContain("Duration:    2 h 22 min\nThroughput:  500 records/h\n");
  });

  it("shows neither when the event carries no progress (an older producer, or no counts yet)", () => {
    // Prepare
    const completed = CASES.completed as JobStatusEvent;
    const { progress: _dropped, ...job } = completed.job;

    // Act
    const facts = factsOf({ ...completed, job });

    // Assess
    expect(facts.throughput).toBeNull();
    expect(facts.progress).toBeNull();
    expect(renderEmail({ ...completed, job }).body).not.toContain("Throughput");
  });

  it("says nothing processed yet, without an ETA, for a job that has not started", () => {
    // Act
    const facts = factsOf(WARNING_CASES["warning-stuck-in-status"] as JobWarningEvent);

    // Assess
    expect(facts.progress).toBe("no records processed yet");
  });
});
