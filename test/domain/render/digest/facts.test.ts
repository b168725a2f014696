import { describe, expect, it } from "vitest";
import type { DailyDigestEvent } from "../../../../src/domain/digest";
import {
  digestFactsOf,
  fitDigest,
  limitDigest,
  notListedLine,
  unlistedLine,
} from "../../../../src/domain/render/digest/facts";
import { busyDigest, DIGEST_CASES, GOLDEN_ACCOUNT_ALIASES } from "../../../../tools/samples/events";

const OPTIONS = { accountAliases: GOLDEN_ACCOUNT_ALIASES };
const seeded = DIGEST_CASES.digest as DailyDigestEvent;

describe("digestFactsOf", () => {
  it("titles the digest with its date and sums the day in one totals line", () => {
    // Act
    const facts = digestFactsOf(seeded, OPTIONS);

    // Assess
    expect(facts.title).toBe("Bedrock batch jobs — daily digest 2024-08-29");
    expect(facts.totals).toBe(
      "8 finished (Completed 3, PartiallyCompleted 1, Failed 3, Expired 1) · 4,200 records processed, 130 failed · 3 open · 3 warnings sent",
    );
    expect(facts.period).toBe("2024-08-28 08:00:00 UTC → 2024-08-29 08:00:00 UTC");
    expect(facts.watched).toBe("4 scopes watched");
    expect(facts.headline).toBe("8 finished, 4 failed or expired");
  });

  it("names each scope by its account's alias and its region, with the existing alias helper", () => {
    // Act
    const headings = digestFactsOf(seeded, OPTIONS).scopes.map((scope) => scope.heading);

    // Assess: the unreadable scope first, then the busiest; the account without an alias by its id
    expect(headings).toEqual([
      "210987654321 · us-east-1",
      "prod (123456789012) · us-east-1",
      "prod (123456789012) · eu-west-1",
    ]);
  });

  it("says what each section holds: reasons with an example, expiries, warnings by kind, open jobs, models", () => {
    // Act
    const [unreadable, prodUs] = digestFactsOf(seeded, OPTIONS).scopes;

    // Assess
    expect(unreadable?.unavailable).toBe("AccessDeniedException: the scope could not be read");
    expect(prodUs?.finished).toBe("Completed 2, PartiallyCompleted 1, Failed 3, Expired 1");
    expect(prodUs?.records).toBe("3,400 processed, 130 failed");
    expect(prodUs?.reasons).toEqual({
      shown: [
        {
          count: 2,
          reason: 'Validation failed for <uri>: record <n> is missing the required field "…".',
          exampleJobName: "reviews-a",
        },
        { count: 1, reason: "Amazon Bedrock could not assume <arn>.", exampleJobName: "access-check" },
      ],
      more: 0,
    });
    expect(prodUs?.expired.shown).toEqual([{ jobName: "backfill-q3", submitted: "2024-08-28 06:00:00 UTC" }]);
    // Kinds in their documented order, whatever order the rows gave them in.
    expect(prodUs?.warnings).toBe("StuckInStatus 1, MayNotFinish 1");
    expect(prodUs?.open.shown).toEqual([
      {
        jobName: "long-run",
        status: "InProgress",
        age: "1 d 6 h",
        progress: "10,000 of 25,000 processed (40%) · error rate 2.0%",
      },
      { jobName: "queued-eval", status: "Scheduled", age: "4 h", progress: "no records processed yet" },
    ]);
    expect(prodUs?.models.shown.map((model) => model.modelId)).toEqual([
      "amazon.titan-embed-text-v2:0",
      "anthropic.claude-3-haiku-20240307-v1:0",
    ]);
    expect(prodUs?.consoleLink).toBe(
      "https://us-east-1.console.aws.amazon.com/bedrock/home?region=us-east-1#/batch-inference",
    );
  });

  it("counts the failures and open jobs the event itself left out as more", () => {
    // Act
    const [scope] = digestFactsOf(busyDigest(1)).scopes;

    // Assess: eight reasons (36 failures), five kept; fifteen open jobs, ten kept
    expect(scope?.reasons.shown).toHaveLength(5);
    expect(scope?.reasons.more).toBe(36 - (8 + 7 + 6 + 5 + 4));
    expect(scope?.open).toMatchObject({ more: 5 });
    expect(scope?.open.shown).toHaveLength(10);
  });

  it("says nothing finished on an empty day", () => {
    // Act
    const facts = digestFactsOf(DIGEST_CASES["digest-empty-day"] as DailyDigestEvent);

    // Assess
    expect(facts.totals).toBe("nothing finished · 0 records processed, 0 failed · 0 open · 0 warnings sent");
    expect(facts.scopes).toEqual([]);
    expect(facts.notListed).toBe(0);
  });
});

describe("limitDigest", () => {
  it("cuts every list to the items asked for and counts what it cut, reasons by their failures", () => {
    // Prepare
    const facts = digestFactsOf(busyDigest(3));

    // Act
    const limited = limitDigest(facts, { items: 1, scopes: 2 });

    // Assess
    expect(limited.scopes).toHaveLength(2);
    expect(limited.notListed).toBe(1);
    const [scope] = limited.scopes;
    expect(scope?.reasons.shown).toHaveLength(1);
    expect(scope?.reasons.more).toBe(36 - 8);
    expect(scope?.expired).toMatchObject({ more: 29 });
    expect(scope?.open).toMatchObject({ more: 14 });
    expect(scope?.models).toMatchObject({ more: 2 });
  });

  it("counts lists cut to nothing in one line, and the scopes left out in another", () => {
    // Prepare
    const limited = limitDigest(digestFactsOf(busyDigest(2)), { items: 0, scopes: 1 });

    // Act
    const unlisted = unlistedLine(limited.scopes[0] as (typeof limited.scopes)[number]);

    // Assess
    expect(unlisted).toBe("Not listed here: 36 failures, 30 expired jobs, 15 open jobs, 3 models.");
    expect(notListedLine(limited.notListed)).toBe("1 more scope with activity not listed.");
    expect(notListedLine(3)).toBe("3 more scopes with activity not listed.");
  });
});

describe("fitDigest", () => {
  const facts = digestFactsOf(busyDigest(6));
  const size = (rendered: ReturnType<typeof limitDigest>): number => JSON.stringify(rendered).length;

  it("renders the digest whole when it fits", () => {
    // Act
    const fitted = fitDigest(
      facts,
      (limited) => limited,
      () => true,
    );

    // Assess
    expect(fitted).toEqual(facts);
  });

  it("keeps as many scopes as fit with counts only, then the most detail those scopes allow", () => {
    // Prepare: room for every scope with one item per list, not with three
    const budget = size(limitDigest(facts, { items: 1, scopes: 6 }));

    // Act
    const fitted = fitDigest(
      facts,
      (limited) => limited,
      (limited) => size(limited) <= budget,
    );

    // Assess
    expect(fitted.scopes).toHaveLength(6);
    expect(fitted.notListed).toBe(0);
    expect(fitted.scopes[0]?.open.shown).toHaveLength(1);
  });

  it("lists fewer scopes, counting the rest, when even counts alone do not fit them all", () => {
    // Prepare: room for two scopes with nothing listed
    const budget = size(limitDigest(facts, { items: 0, scopes: 2 }));

    // Act
    const fitted = fitDigest(
      facts,
      (limited) => limited,
      (limited) => size(limited) <= budget,
    );

    // Assess
    expect(fitted.scopes).toHaveLength(2);
    expect(fitted.notListed).toBe(4);
  });

  it("falls back to the title and totals when nothing else fits, and never throws", () => {
    // Act
    const fitted = fitDigest(
      facts,
      (limited) => limited,
      () => false,
    );

    // Assess
    expect(fitted.scopes).toEqual([]);
    expect(fitted.notListed).toBe(6);
    expect(fitted.totals).toBe(facts.totals);
  });
});
