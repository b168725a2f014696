/** What a campaign did and found; summed over scenarios, printed by the CLI and recorded in docs/reliability.md. */
export interface CampaignFigures {
  scenarios: number;
  jobs: number;
  /** Statuses the jobs reached in the emulator (the truth), their submission included. */
  transitions: number;
  /** Poll invocations, settling polls included (event-function invocations are counted apart). */
  polls: number;
  /** Invocations (poll or event function) that threw: allowed, the next poll must catch up. */
  failedPolls: number;
  /** Transitions a poll left for the next one because its deadline came near. */
  deferred: number;
  bedrockThrottled: number;
  bedrockServerErrors: number;
  snsEntryFailures: number;
  snsCallFailures: number;
  snsLostAnswers: number;
  dynamodbThrottled: number;
  dynamodbServerErrors: number;
  dynamodbLostResponses: number;
  crashes: number;
  overlaps: number;
  timeouts: number;
  /** Bedrock state-change events handled by the event function while a poll ran. */
  bedrockEvents: number;
  /** Messages the SQS subscriber received. */
  delivered: number;
  lost: number;
  duplicates: number;
  /** Copies re-sent by a later poll after a run died between publish and commit. */
  resentAfterCrash: number;
  /** Copies SNS delivered twice because its answer was lost and the SDK sent the batch again. */
  resentAfterLostAnswer: number;
  /** Copies explained by neither: always a violation. */
  duplicatesOutsideCrash: number;
  violations: number;
}

export const emptyFigures = (): CampaignFigures => ({
  scenarios: 0,
  jobs: 0,
  transitions: 0,
  polls: 0,
  failedPolls: 0,
  deferred: 0,
  bedrockThrottled: 0,
  bedrockServerErrors: 0,
  snsEntryFailures: 0,
  snsCallFailures: 0,
  snsLostAnswers: 0,
  dynamodbThrottled: 0,
  dynamodbServerErrors: 0,
  dynamodbLostResponses: 0,
  crashes: 0,
  overlaps: 0,
  timeouts: 0,
  bedrockEvents: 0,
  delivered: 0,
  lost: 0,
  duplicates: 0,
  resentAfterCrash: 0,
  resentAfterLostAnswer: 0,
  duplicatesOutsideCrash: 0,
  violations: 0,
});

export function addFigures(total: CampaignFigures, more: CampaignFigures): CampaignFigures {
  const sum = { ...total };
  for (const key of Object.keys(sum) as Array<keyof CampaignFigures>) sum[key] += more[key];
  return sum;
}

/** The figures as aligned lines, grouped the way docs/reliability.md presents them. */
export function formatFigures(figures: CampaignFigures): string {
  const groups: Array<[string, Array<[string, number]>]> = [
    [
      "work",
      [
        ["scenarios", figures.scenarios],
        ["jobs", figures.jobs],
        ["transitions (truth)", figures.transitions],
        ["polls", figures.polls],
        ["invocations that failed", figures.failedPolls],
        ["transitions deferred", figures.deferred],
      ],
    ],
    [
      "faults injected",
      [
        ["Bedrock throttled (429)", figures.bedrockThrottled],
        ["Bedrock 5xx", figures.bedrockServerErrors],
        ["SNS entries failed in HTTP 200", figures.snsEntryFailures],
        ["SNS calls failed (500/429)", figures.snsCallFailures],
        ["SNS calls applied, answer lost", figures.snsLostAnswers],
        ["DynamoDB throttled", figures.dynamodbThrottled],
        ["DynamoDB 500", figures.dynamodbServerErrors],
        ["DynamoDB writes with lost answer", figures.dynamodbLostResponses],
        ["crashes between publish and commit", figures.crashes],
        ["overlapping polls", figures.overlaps],
        ["polls with a short timeout", figures.timeouts],
        ["Bedrock events alongside a poll", figures.bedrockEvents],
      ],
    ],
    [
      "outcome",
      [
        ["delivered", figures.delivered],
        ["lost", figures.lost],
        ["duplicates", figures.duplicates],
        ["  re-sent after a crash", figures.resentAfterCrash],
        ["  re-sent after a lost SNS answer", figures.resentAfterLostAnswer],
        ["duplicates explained by neither", figures.duplicatesOutsideCrash],
        ["invariant violations", figures.violations],
      ],
    ],
  ];
  const width = Math.max(...groups.flatMap(([, rows]) => rows.map(([label]) => label.length)));
  return groups
    .map(([title, rows]) => [title, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join("\n"))
    .join("\n");
}
