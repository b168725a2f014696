import { describe, expect, it } from "vitest";
import { renderFor } from "../../../src/domain/render";
import { bedrockBatchListUrl, jobLinks, s3FolderOfUrl, s3FolderUrl } from "../../../src/domain/render/console-links";
import { formatDuration, formatTimestamp, millisecondsBetween } from "../../../src/domain/render/duration";
import {
  escapeSlack,
  escapeTeamsMarkdown,
  plainWord,
  slackCode,
  slackCodeBlock,
} from "../../../src/domain/render/escape";
import { fitFailureMessage, TRUNCATION_MARK } from "../../../src/domain/render/fit";
import { CASES } from "../../../tools/samples/events";

describe("durations", () => {
  it("shows the two largest units and leaves out zeros", () => {
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(65 * 60_000)).toBe("1 h 5 min");
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000)).toBe("2 d 3 h");
    expect(formatDuration(3_600_000)).toBe("1 h");
  });

  it("says unknown rather than printing a negative or missing duration", () => {
    expect(formatDuration(-1)).toBe("unknown");
    expect(millisecondsBetween("2024-01-01T00:00:00Z", null)).toBeNull();
    expect(millisecondsBetween("not a date", "2024-01-01T00:00:00Z")).toBeNull();
  });

  it("prints times in UTC without milliseconds", () => {
    expect(formatTimestamp("2024-08-28T22:47:53.120Z")).toBe("2024-08-28 22:47:53 UTC");
    expect(formatTimestamp(null)).toBe("—");
  });
});

describe("console links", () => {
  it.each([
    // Commercial: the regional console host documented in "AWS Management Console endpoints".
    ["eu-west-1", "https://eu-west-1.console.aws.amazon.com/bedrock/home?region=eu-west-1#/batch-inference"],
    ["us-east-1", "https://us-east-1.console.aws.amazon.com/bedrock/home?region=us-east-1#/batch-inference"],
    // China and GovCloud: no regional host documented, so the partition's console host and the region parameter.
    ["cn-north-1", "https://console.amazonaws.cn/bedrock/home?region=cn-north-1#/batch-inference"],
    ["us-gov-west-1", "https://console.amazonaws-us-gov.com/bedrock/home?region=us-gov-west-1#/batch-inference"],
  ])("links the batch inference jobs of %s on its partition's console", (region, list) => {
    expect(bedrockBatchListUrl(region)).toBe(list);
  });

  it("links no single job page, since AWS documents none", () => {
    const event = CASES.failed;
    if (event === undefined || !("job" in event)) throw new Error("no failed sample");
    const links = jobLinks(event.job);
    expect(Object.keys(links).sort()).toEqual(["batchJobs", "input", "output"]);
    expect(links.batchJobs).toBe(bedrockBatchListUrl("us-east-1"));
  });

  it("opens S3 folders on the partition's console", () => {
    expect(s3FolderUrl("s3://bucket-1/out", "console.amazonaws.cn")).toBe(
      "https://console.amazonaws.cn/s3/buckets/bucket-1?prefix=out%2F",
    );
  });

  it("opens an S3 prefix as a folder, with characters that would break a chat link encoded", () => {
    expect(s3FolderUrl("s3://bucket-1/out/2024")).toBe(
      "https://s3.console.aws.amazon.com/s3/buckets/bucket-1?prefix=out%2F2024%2F",
    );
    expect(s3FolderUrl("s3://bucket-1")).toBe("https://s3.console.aws.amazon.com/s3/buckets/bucket-1");
    expect(s3FolderUrl("s3://bucket-1/a|b>c&d/")).toBe(
      "https://s3.console.aws.amazon.com/s3/buckets/bucket-1?prefix=a%7Cb%3Ec%26d%2F",
    );
    expect(s3FolderUrl("https://not-s3")).toBeNull();
  });

  it("opens the folder that holds an input file", () => {
    expect(s3FolderOfUrl("s3://bucket-1/in/records.jsonl")).toBe(
      "https://s3.console.aws.amazon.com/s3/buckets/bucket-1?prefix=in%2F",
    );
    expect(s3FolderOfUrl("s3://bucket.with.dots")).toBe(
      "https://s3.console.aws.amazon.com/s3/buckets/bucket.with.dots",
    );
  });
});

describe("escaping", () => {
  it("escapes Slack's control characters", () => {
    expect(escapeSlack("<!channel> & <@U123>")).toBe("&lt;!channel&gt; &amp; &lt;@U123&gt;");
  });

  it("keeps job text inside a code span or fence that a backtick cannot close", () => {
    expect(slackCode("a`b\nc")).toBe("`aˋb c`");
    expect(slackCodeBlock("```x```")).toBe("```ˋˋˋxˋˋˋ```");
  });

  it("escapes the markdown Adaptive Cards react to and nothing else", () => {
    expect(escapeTeamsMarkdown("*b* _i_ [l](u)\n- item\n2. step & <tag>")).toBe(
      "\\*b\\* \\_i\\_ \\[l\\](u)\n\\- item\n\\2. step & <tag>",
    );
  });

  it("reduces an unknown status to a plain word for headers", () => {
    expect(plainWord("Archived")).toBe("Archived");
    expect(plainWord("<!here>")).toBe("here");
    expect(plainWord("<>")).toBe("Unknown");
  });
});

describe("fitting the failure message", () => {
  it("renders the whole message when it fits", () => {
    // Act
    const rendered = fitFailureMessage(
      "short",
      (failure) => failure,
      () => true,
    );

    // Assess
    expect(rendered).toEqual({ text: "short", truncated: false });
  });

  it("keeps the longest prefix that fits and marks the cut", () => {
    // Prepare
    const limit = 50;

    // Act
    const rendered = fitFailureMessage(
      "é".repeat(100),
      (failure) => `[${failure.text}]`,
      (text) => Buffer.byteLength(text) <= limit,
    );

    // Assess
    expect(Buffer.byteLength(rendered)).toBeLessThanOrEqual(limit);
    expect(Buffer.byteLength(rendered)).toBeGreaterThan(limit - 3);
    expect(rendered.endsWith(`${TRUNCATION_MARK}]`)).toBe(true);
  });
});

describe("renderFor", () => {
  it("prints the event itself, indented, for the json format", () => {
    // Prepare
    const event = CASES.completed;
    if (!event) throw new Error("fixture missing");

    // Act
    const printed = renderFor("json", event);

    // Assess
    expect(JSON.parse(printed)).toEqual(event);
    expect(printed).toContain('\n  "eventId"');
  });
});
