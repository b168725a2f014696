import { parseArgs } from "node:util";
import { SystemClock } from "./clock";
import { BedrockEmulator } from "./emulator";
import { mixedSeedJobs } from "./mixed-jobs";

const USAGE = `Usage: npm run emulator -- [options]

Starts a local Amazon Bedrock control plane for batch inference jobs on 127.0.0.1.

Options:
  --port <n>            port to listen on (default 4010; 0 picks a free one)
  --jobs <n>            seeded jobs in mixed states (default 50)
  --seed <n>            seed for job ids, seeded data and faults (default 20240307)
  --region <name>       default region: that of unsigned requests (default us-east-1)
  --account-id <12d>    default account: that of any key the emulated STS did not hand out (default 123456789012)
  --regions <a,b,...>   regions that answer; others get their connection dropped (default: every region)
  --throttle-rate <p>   share of requests answered 429 ThrottlingException (0..1, default 0)
  --error-rate <p>      share of requests answered 500 InternalServerException (0..1, default 0)
  --latency-ms <n>      delay added to every response (default 0)
  --quiet               do not log requests
  --help                show this help`;

function numberOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      jobs: { type: "string" },
      seed: { type: "string" },
      region: { type: "string" },
      "account-id": { type: "string" },
      regions: { type: "string" },
      "throttle-rate": { type: "string" },
      "error-rate": { type: "string" },
      "latency-ms": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const seed = numberOption("seed", values.seed, 20240307);
  const jobCount = numberOption("jobs", values.jobs, 50);
  const clock = new SystemClock();
  const emulator = await BedrockEmulator.start({
    port: numberOption("port", values.port, 4010),
    clock,
    seed,
    region: values.region,
    accountId: values["account-id"],
    regions: values.regions?.split(",").map((region) => region.trim()),
    faults: {
      throttleRate: numberOption("throttle-rate", values["throttle-rate"], 0),
      serverErrorRate: numberOption("error-rate", values["error-rate"], 0),
      latencyMs: numberOption("latency-ms", values["latency-ms"], 0),
    },
    // Jobs created from the CLI finish within minutes, so a demo shows every transition.
    createPlan: { validateMs: 30_000, scheduleMs: 60_000, runMs: 5 * 60_000, progressIntervalMs: 15_000 },
    onRequest: values.quiet
      ? undefined
      : (line) =>
          console.log(
            `${line.method} ${line.path} -> ${line.operation} ${line.status} (${line.ms.toFixed(1)} ms)` +
              (line.scope ? ` [${line.scope}]` : ""),
          ),
  });
  emulator.addJobs(mixedSeedJobs(jobCount, { now: clock.now(), seed }));

  console.log(`Bedrock emulator listening on ${emulator.endpoint} (${emulator.region}, account ${emulator.accountId})`);
  console.log(`Seeded ${jobCount} batch inference jobs in mixed states; the clock runs in real time.`);
  console.log("Any credentials work. Try:");
  console.log(
    `  aws bedrock list-model-invocation-jobs --endpoint-url ${emulator.endpoint} --region ${emulator.region}`,
  );
  console.log(`  AWS_ENDPOINT_URL_BEDROCK=${emulator.endpoint} <your program>`);
  console.log(`STS AssumeRole answers on the same port: AWS_ENDPOINT_URL_STS=${emulator.stsEndpoint}`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, stopping the emulator.`);
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exitCode = 1;
});
