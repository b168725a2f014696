import { ESTATE_TARGETS, quietRounds, SESSION_USE_MINUTES } from "./estate";
import type { EstateReport, EstateResult, RoundFigures, Spread } from "./estate-types";
import { formatNumber, formatRatio, median } from "./numbers";

// The estate part of docs/performance.md and its targets, from one run's results. Every number comes from the run.

export interface EstateTargetCheck {
  target: string;
  met: boolean | undefined;
  detail: string;
}

const row = (cells: ReadonlyArray<string | number>): string => `| ${cells.join(" | ")} |`;
const header = (cells: readonly string[], align: readonly ("l" | "r")[]): string[] => [
  row(cells),
  row(align.map((side) => (side === "l" ? ":--" : "--:"))),
];
const seconds = (ms: number): string => `${formatNumber(ms / 1000, 1)} s`;
/** "6" when every scope made the same count, "5–7" otherwise. */
const range = (spread: Spread): string =>
  spread.min === spread.max ? formatNumber(spread.min) : `${formatNumber(spread.min)}–${formatNumber(spread.max)}`;
/** measured / floor = ratio, the worst scope's count against the floor. */
const againstFloor = (spread: Spread, floor: number): string =>
  `${range(spread)} / ${floor} = ${formatRatio(spread.max, floor)}`;

/** Every quiet round's worst scope, so that one round's luck cannot hide another's excess. */
function worstQuiet(result: EstateResult) {
  const rounds = quietRounds(result);
  const worst = (pick: (round: RoundFigures) => Spread): Spread => ({
    min: Math.min(...rounds.map((round) => pick(round).min)),
    max: Math.max(...rounds.map((round) => pick(round).max)),
    mean: median(rounds.map((round) => pick(round).mean)),
    total: median(rounds.map((round) => pick(round).total)),
  });
  return {
    rounds,
    bedrock: worst((round) => round.perScope.bedrock),
    getCalls: worst((round) => round.perScope.getCalls),
    query: worst((round) => round.perScope.query),
    getItem: worst((round) => round.perScope.getItem),
    batchGetItem: worst((round) => round.perScope.batchGetItem),
    writes: worst((round) => round.perScope.writes),
    published: Math.max(...rounds.map((round) => round.published)),
    failed: Math.max(...rounds.map((round) => round.failed)),
    unattributed: Math.max(...rounds.map((round) => round.dynamodbUnattributed)),
    wallMs: median(rounds.map((round) => round.wallMs)),
    maxWallMs: Math.max(...rounds.map((round) => round.wallMs)),
  };
}

const quietAtFloor = (result: EstateResult): boolean => {
  const worst = worstQuiet(result);
  const { quiet } = ESTATE_TARGETS;
  return (
    worst.rounds.length > 0 &&
    worst.bedrock.max <= quiet.bedrock &&
    worst.query.min === quiet.query &&
    worst.query.max === quiet.query &&
    worst.getItem.min === quiet.getItem &&
    worst.getItem.max === quiet.getItem &&
    worst.writes.max === quiet.writes &&
    worst.published === 0 &&
    worst.failed === 0
  );
};

/** Steady-state AssumeRole calls per member account per hour, from the sessions' 55 minutes of use. */
export const perHour = (sessions: number): number => (sessions * 60) / SESSION_USE_MINUTES;

export function checkEstateTargets(estate: EstateReport | undefined): EstateTargetCheck[] {
  const { quiet } = ESTATE_TARGETS;
  const quietTarget =
    `estate: a quiet scope at the floor (≤ ${quiet.bedrock} Bedrock calls, ${quiet.query} Query, ${quiet.getItem} GetItem, ` +
    `${quiet.writes} writes) whatever the history and however many other scopes`;
  const roundTarget = `estate: a ${formatNumber(ESTATE_TARGETS.roundScopes)}-scope round in ≤ ${seconds(ESTATE_TARGETS.roundMs)} at concurrency ${ESTATE_TARGETS.roundConcurrency}`;
  const burstTarget = `estate: a burst of 1,000 Bedrock events fully announced in ≤ ${seconds(ESTATE_TARGETS.burstMs)}`;
  if (!estate || estate.results.length === 0) {
    return [quietTarget, roundTarget, burstTarget].map((target) => ({
      target,
      met: undefined,
      detail: "not in this run",
    }));
  }
  const checks: EstateTargetCheck[] = [];
  const results = [...estate.results].sort((a, b) => a.scopes - b.scopes);
  checks.push({
    target: quietTarget,
    met: results.every(quietAtFloor),
    detail: results
      .map((result) => {
        const worst = worstQuiet(result);
        return (
          `${formatNumber(result.scopes)} scope(s) × ${formatNumber(result.spec.finished)} finished: ` +
          `${range(worst.bedrock)} / ${range(worst.query)} / ${range(worst.getItem)} / ${range(worst.writes)}`
        );
      })
      .join("; "),
  });
  const large = results.find(
    (result) =>
      result.scopes === ESTATE_TARGETS.roundScopes && result.spec.sandboxes === ESTATE_TARGETS.roundConcurrency,
  );
  if (!large) checks.push({ target: roundTarget, met: undefined, detail: "not in this run" });
  else {
    const worst = worstQuiet(large);
    checks.push({
      target: roundTarget,
      met: worst.maxWallMs <= ESTATE_TARGETS.roundMs,
      detail:
        `median ${seconds(worst.wallMs)}, slowest ${seconds(worst.maxWallMs)} over ${worst.rounds.length} quiet rounds ` +
        `(${formatNumber((100 * worst.maxWallMs) / ESTATE_TARGETS.roundMs)} % of the target)`,
    });
  }
  const burst = results.find((result) => result.burst)?.burst;
  if (!burst) checks.push({ target: burstTarget, met: undefined, detail: "not in this run" });
  else {
    const complete = burst.messages === burst.events && burst.nextRoundPublished === 0;
    checks.push({
      target: burstTarget.replace("1,000", formatNumber(burst.events)),
      met: complete && burst.lastPublishedMs <= ESTATE_TARGETS.burstMs,
      detail:
        `last published after ${seconds(burst.lastPublishedMs)} (${formatNumber((100 * burst.lastPublishedMs) / ESTATE_TARGETS.burstMs)} % of the target); ` +
        `${formatNumber(burst.messages)} of ${formatNumber(burst.events)} announced, ${burst.nextRoundPublished} left for the next poll`,
    });
  }
  return checks;
}

function quietTable(results: readonly EstateResult[]): string[] {
  const { quiet } = ESTATE_TARGETS;
  const lines = header(
    [
      "scopes",
      "accounts × regions",
      "jobs emulated",
      "quiet rounds",
      `Bedrock calls / scope: measured / floor ${quiet.bedrock}`,
      `Query / scope / ${quiet.query}`,
      `GetItem / scope / ${quiet.getItem}`,
      "DDB writes / scope / 0",
      "AssumeRole / scope (all rounds)",
      "round wall time (median; slowest)",
      "dispatch ms (median)",
      "pollScope ms (median, p90 of invocations)",
    ],
    ["r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
  );
  for (const result of results) {
    const worst = worstQuiet(result);
    const assumed = result.rounds.reduce((total, round) => total + round.assumeRole, 0);
    lines.push(
      row([
        formatNumber(result.scopes),
        `${result.spec.accounts} × ${result.spec.regions}`,
        formatNumber(result.jobs),
        worst.rounds.length,
        againstFloor(worst.bedrock, quiet.bedrock),
        againstFloor(worst.query, quiet.query),
        againstFloor(worst.getItem, quiet.getItem),
        range(worst.writes),
        formatNumber(assumed / result.scopes, 2),
        `${seconds(worst.wallMs)}; ${seconds(worst.maxWallMs)}`,
        formatNumber(median(worst.rounds.map((round) => round.dispatchMs)), 1),
        `${formatNumber(median(worst.rounds.map((round) => round.durationMs.median)))}, ${formatNumber(median(worst.rounds.map((round) => round.durationMs.p90)))}`,
      ]),
    );
  }
  return lines;
}

function setupTable(results: readonly EstateResult[]): string[] {
  const lines = header(
    [
      "scopes",
      "seeding the emulator (addJobs)",
      "peers' heap once seeded",
      "snapshot to steady state",
      "took",
      "first round per scope: Bedrock calls, DDB writes",
      "peak RSS: peers / functions",
    ],
    ["r", "r", "r", "l", "r", "r", "r"],
  );
  for (const result of results) {
    const first = result.snapshot.method === "first-run" ? result.rounds[0] : undefined;
    lines.push(
      row([
        formatNumber(result.scopes),
        seconds(result.seedMs),
        `${formatNumber(result.heapAfterSeedMb)} MB`,
        result.snapshot.method === "first-run"
          ? "every scope's first run (round 1, through the fan-out)"
          : `written directly (${formatNumber(result.snapshot.rows ?? 0)} open-job rows + meta rows)`,
        seconds(result.snapshot.ms),
        first ? `${range(first.perScope.bedrock)}, ${range(first.perScope.writes)}` : "—",
        `${formatNumber(result.memory.peersPeakRssMb)} MB / ${formatNumber(result.memory.workersPeakRssMb)} MB`,
      ]),
    );
  }
  return lines;
}

function assumeRoleTable(results: readonly EstateResult[]): string[] {
  const lines = header(
    [
      "scopes",
      "member accounts",
      "rounds (real time)",
      "AssumeRole per round",
      "per account per warm sandbox",
      "per account, all rounds (min–max)",
      "sandboxes that polled the account",
      "per account per hour, steady state",
    ],
    ["r", "r", "r", "l", "r", "r", "r", "r"],
  );
  for (const result of results) {
    const { assumeRole } = result;
    if (assumeRole.memberAccounts === 0) continue;
    lines.push(
      row([
        formatNumber(result.scopes),
        assumeRole.memberAccounts,
        `${result.rounds.length} (${seconds(assumeRole.elapsedMs)})`,
        assumeRole.perRound.map((calls) => formatNumber(calls)).join(", "),
        formatNumber(assumeRole.maxPerSandboxPerAccount, 2),
        range(assumeRole.perAccount),
        range(assumeRole.sandboxesPerAccount),
        `${formatNumber(perHour(assumeRole.sandboxesPerAccount.min), 1)}–${formatNumber(perHour(assumeRole.sandboxesPerAccount.max), 1)}`,
      ]),
    );
  }
  return lines;
}

function burstLines(result: EstateResult | undefined): string[] {
  const burst = result?.burst;
  if (!result || !burst) return ["No burst in this run."];
  const floorBatches = Math.ceil(burst.events / 10);
  return [
    ...header(["figure", "measured", "floor or target", "measured ÷ floor"], ["l", "r", "r", "r"]),
    row([
      "time until the last event is published",
      seconds(burst.lastPublishedMs),
      `≤ ${seconds(ESTATE_TARGETS.burstMs)}`,
      formatRatio(burst.lastPublishedMs, ESTATE_TARGETS.burstMs),
    ]),
    row(["queue drained (every batch answered)", seconds(burst.drainedMs), "—", "—"]),
    row([
      "transitions published (SNS messages)",
      formatNumber(burst.messages),
      formatNumber(burst.events),
      formatRatio(burst.messages, burst.events),
    ]),
    row([
      "PublishBatch calls",
      formatNumber(burst.publishBatch + burst.publish),
      `⌈${formatNumber(burst.events)}/10⌉ = ${formatNumber(floorBatches)}`,
      formatRatio(burst.publishBatch + burst.publish, floorBatches),
    ]),
    row([
      "lease acquisitions (taken / attempted)",
      `${formatNumber(burst.leaseAcquired)} / ${formatNumber(burst.leaseAttempts)}`,
      `${formatNumber(burst.scopeBatches)} (one per scope per batch); ${burst.scopes} (one per scope)`,
      `${formatRatio(burst.leaseAcquired, burst.scopeBatches)}; ${formatRatio(burst.leaseAcquired, burst.scopes)}`,
    ]),
    row([
      "onBedrockEvents invocations (events handed back)",
      `${formatNumber(burst.invocations)} (${formatNumber(burst.retried)})`,
      `⌈${formatNumber(burst.events)}/${burst.batchSize}⌉ = ${Math.ceil(burst.events / burst.batchSize)}`,
      formatRatio(burst.invocations, Math.ceil(burst.events / burst.batchSize)),
    ]),
    row([
      "GetModelInvocationJob calls",
      formatNumber(burst.bedrockGets),
      formatNumber(burst.events),
      formatRatio(burst.bedrockGets, burst.events),
    ]),
    row(["transitions the next scheduled round published", burst.nextRoundPublished, "0", "—"]),
    "",
    `DynamoDB requests of the burst: ${Object.entries(burst.dynamodb)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, count]) => `${operation} ${formatNumber(count)}`)
      .join(", ")}. onBedrockEvents invocation: median ${formatNumber(burst.durationMs.median)} ms, p90 ` +
      `${formatNumber(burst.durationMs.p90)} ms, ${formatNumber(burst.logBytesPerInvocation)} B of logs.`,
  ];
}

/** Durations and log volume as docs/cost.md prices them. */
function durationLines(results: readonly EstateResult[]): string[] {
  const sequential = results.find((result) => result.sequential)?.sequential?.at(-1);
  const lines = header(
    ["function", "measured locally", "log bytes per invocation (the handler's own lines)"],
    ["l", "r", "r"],
  );
  if (sequential) {
    lines.push(
      row([
        "pollScope, one quiet scope, one invocation at a time (warm sandbox)",
        `median ${formatNumber(sequential.durationMs.median, 1)} ms, p90 ${formatNumber(sequential.durationMs.p90, 1)} ms`,
        formatNumber(sequential.logBytesPerInvocation),
      ]),
    );
  }
  for (const result of results) {
    const worst = worstQuiet(result);
    lines.push(
      row([
        `pollScope, quiet round of ${formatNumber(result.scopes)} scope(s), ${result.spec.sandboxes} sandboxes sharing 2 cores`,
        `median ${formatNumber(median(worst.rounds.map((round) => round.durationMs.median)))} ms, p90 ${formatNumber(median(worst.rounds.map((round) => round.durationMs.p90)))} ms`,
        formatNumber(median(worst.rounds.map((round) => round.logBytesPerInvocation))),
      ]),
    );
    lines.push(
      row([
        `dispatch, ${formatNumber(result.scopes)} scope(s)`,
        `median ${formatNumber(median(worst.rounds.map((round) => round.dispatchMs)), 1)} ms`,
        formatNumber(median(worst.rounds.map((round) => round.dispatchLogBytes))),
      ]),
    );
  }
  return lines;
}

export function renderEstate(estate: EstateReport | undefined, command: string): string[] {
  if (!estate || estate.results.length === 0) return [];
  const results = [...estate.results].sort((a, b) => a.scopes - b.scopes);
  const targets = checkEstateTargets(estate);
  const verdict = (met: boolean | undefined): string => (met === undefined ? "not run" : met ? "met" : "**missed**");
  const burstCase = results.find((result) => result.burst);
  const sample = results[0];
  return [
    "## Estate",
    "",
    `Many scopes ((account, region) pairs) from one deployment: the part of \`${command}\` above that took ${formatNumber(estate.totalSeconds)} s`,
    "(`npm run bench:estate` runs this part alone and renders it with the last full run's other figures;",
    "`--estate 1,10` picks sizes). Same machine as above.",
    "",
    ...header(["target", "result", "measured"], ["l", "l", "l"]),
    ...targets.map((check) => row([check.target, verdict(check.met), check.detail])),
    "",
    "### What runs",
    "",
    "Each case (`bench/estate-case.ts`) runs in a fresh process holding the functions, and forks the peers",
    `(\`bench/peers.ts\` with \`${estate.peersExecArgv.join(" ")}\`): the Bedrock emulator with every scope's jobs and its`,
    "emulated STS, dynalite behind a counting proxy that attributes every request to the scope whose keys it names",
    "(meta row, open-jobs partition, job ARN), and fauxqs for SNS and SQS with the template's visibility timeout (120 s).",
    "",
    `- **Data**: every scope has its own ${formatNumber(sample?.spec.open ?? 0)} open jobs and ${formatNumber(sample?.spec.finished ?? 0)} finished ones, the single-scope`,
    "  benchmark's mix (finished over the last 30 days, open over the last 2). Estates: the home account and member",
    "  accounts × the first regions of us-east-1, us-west-2, eu-west-1, eu-central-1, eu-west-3, ap-northeast-1,",
    "  ap-southeast-2, ap-south-1, ca-central-1, sa-east-1.",
    "- **A round** is what the schedule starts: the real `dispatch` handler (one message per scope on the scope queue),",
    `  then an SQS event source mapping (batch size 1, maximum concurrency ${sample?.spec.sandboxes ?? 0}) handing each message to a free`,
    `  sandbox of a pool of ${sample?.spec.sandboxes ?? 0}. Each sandbox is the real \`pollScope\` handler over its own \`buildPollRuntime(env)\`:`,
    "  its own SDK clients and its own AssumeRole cache, as a Lambda execution environment has; the sandboxes share",
    "  this process's 2 cores (and its request-deadline holder, harmless here: every invocation has the same 60 s).",
    "  The round's wall time runs from the dispatch call to the event source finding the queue empty.",
    "- **Steady state first**: with up to 100 scopes, round 1 is every scope's first run (a silent baseline, through",
    "  the fan-out), and the rounds after it are quiet. At 1,000 scopes the snapshot is written directly, as first",
    "  runs leave it, through the adapter's own code (`DynamoDbSnapshotStore` for the meta row, `snapshotRowItem` for",
    "  the open-job rows, BatchWriteItem of 25; `estateSeedSnapshot` in bench/estate-peers.ts): 1,000 first runs would",
    "  list 2.7 million job summaries through the SDK here. It leaves out the rows first runs also write for finished",
    "  jobs that changed within the look-back hour (terminal rows: off the open-jobs index, read by no quiet poll). Every",
    "  round of that case is then quiet; its first round is the proof that the seeded table is what a poll expects",
    "  (nothing written, nothing announced). The deep reconciliation is daily and the snapshot says it ran at seeding",
    "  or at the first run: it is due in no measured round.",
    `- **Rounds**: ${sample?.rounds.length ?? 0} per case, back to back (one hour of the 5-minute schedule, driven without waiting). Per-scope`,
    "  figures are from every quiet round: each cell is the lowest–highest count of any scope in any of them,",
    "  against the floor (the worst scope ÷ the floor). Bedrock calls come from the emulator's per-scope statistics,",
    "  DynamoDB requests from the proxy (per scope; requests naming no scope: none), STS calls from the emulator.",
    "- **Times** are wall times on this machine, peers included, every peer on loopback: they say how the fan-out",
    "  scales here, not what AWS latency adds. The peers' single process (emulator, dynalite, fauxqs and the",
    "  proxies on one event loop) is the busier one during a round.",
    "",
    "### Quiet rounds per scope, against the floor",
    "",
    ...quietTable(results),
    "",
    "AssumeRole / scope counts every AssumeRole of the case's rounds (the first calls of each sandbox, see below)",
    "divided by its scopes; a quiet round of warm sandboxes makes none.",
    "",
    "### Getting to steady state, and memory",
    "",
    ...setupTable(results),
    "",
    "Peak RSS is each process's lifetime high-water mark (`process.resourceUsage().maxRSS`): the peers hold every",
    "scope's emulated jobs (about 0.4 KB of heap per job); the functions' process holds the sandboxes.",
    "",
    "### AssumeRole: per warm sandbox, and in all",
    "",
    ...assumeRoleTable(results),
    "",
    "- **Per account per warm sandbox**: each sandbox's AssumeRole calls divided by the member accounts whose scopes",
    "  it polled (the cache's own counter; 1 means one call per account, however many of its regions and rounds).",
    "- **In all**: the emulator's count per member account over the rounds equals the number of sandboxes that polled",
    "  one of its scopes: every sandbox needs its own session, so with 50 concurrent sandboxes an account is assumed up",
    "  to 50 times, not once.",
    `- **What this covers**: the rounds ran back to back in the real time shown, and both clocks that decide expiry —`,
    "  the cache's (`buildPollRuntime`'s `new Date()`) and the emulated STS's — are real time, so no session expired",
    `  during the run. Sessions last 1 hour (role chaining caps them there) and the cache refreshes 5 minutes before`,
    `  expiry, i.e. after ${SESSION_USE_MINUTES} minutes of use: the per-hour figure is derived, not measured, as sandboxes that poll`,
    `  the account × 60 / ${SESSION_USE_MINUTES} (the first hour of a new sandbox adds its first call). Lambda recycling idle sandboxes, which`,
    "  would add calls, is not simulated. STS AssumeRole is free.",
    "",
    `### A burst of Bedrock events${burstCase?.burst ? `: ${formatNumber(burstCase.burst.events)} across ${burstCase.burst.scopes} scopes` : ""}`,
    "",
    burstCase?.burst
      ? `After the rounds of the ${formatNumber(burstCase.scopes)}-scope case, ${formatNumber(burstCase.burst.events / burstCase.burst.scopes)} more jobs per scope are started and a round records them;` +
        " then every one of them finishes and Bedrock's state-change event for each is queued on the event queue in a seeded" +
        ` shuffled order (all scopes mixed). The real \`onBedrockEvents\` handler, in a pool of ${burstCase.burst.concurrency} sandboxes (the` +
        ` template's maximum concurrency) fed ${burstCase.burst.batchSize} events a batch, confirms them; time runs from the first receive` +
        " to the last PublishBatch SNS answered (the 5-second batching window is not simulated: a full batch does not wait for it)." +
        " Then a scheduled round runs, which must find nothing left to announce."
      : "",
    "",
    ...burstLines(burstCase),
    "",
    "### Durations and logs (for docs/cost.md)",
    "",
    ...durationLines(results),
    "",
    "Measured on this machine with every peer on loopback: indicative of Lambda's duration, not equal to it (on AWS",
    "each call crosses the network, and the sandbox has its own vCPU share). The log bytes are what the handlers write",
    "to stdout (Powertools log lines and the EMF metrics line); Lambda adds its START, END and REPORT lines.",
    "",
  ];
}
