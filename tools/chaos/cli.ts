import { parseArgs } from "node:util";
import { runCampaign } from "./campaign";
import { formatFigures } from "./figures";
import type { BedrockEventsHandler, HandlerLoader, PollHandler } from "./handler";
import { CLI_BOUNDS } from "./scenario";

// The SDK warns on Node 20 about its 2027 support window; the Lambda runtime is nodejs22.x, so it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * `npm run chaos -- --scenarios 50 --seed 42 [--only 7]`: the fault campaign. Prints what was injected and what
 * was delivered, and exits non-zero, with the command that reproduces it, when an invariant breaks.
 */
const USAGE = "usage: npm run chaos -- [--scenarios N] [--seed S] [--only INDEX]";

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, got "${raw}"\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

// Each scenario has its own stack on new ports, and the handler reads its environment at import: a fresh
// copy of the handler module per scenario, as after a cold start.
const fresh = <T>(module: string): T => {
  const path = require.resolve(module);
  delete require.cache[path];
  return (require(path) as { handler: T }).handler;
};
const loadHandler: HandlerLoader = async () => ({
  poll: fresh<PollHandler>("../../handlers/poll"),
  onBedrockEvents: fresh<BedrockEventsHandler>("../../handlers/on-bedrock-events"),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scenarios: { type: "string" }, seed: { type: "string" }, only: { type: "string" } },
  });
  const scenarios = Math.max(1, wholeNumber("scenarios", values.scenarios, 20));
  const seed = wholeNumber("seed", values.seed, Date.now() % 2 ** 31);
  const only = values.only === undefined ? undefined : wholeNumber("only", values.only, 0);
  console.log(`chaos campaign: ${scenarios} scenarios, seed ${seed}${only === undefined ? "" : `, only #${only}`}`);

  const result = await runCampaign({
    seed,
    scenarios,
    bounds: CLI_BOUNDS,
    loadHandler,
    ...(only === undefined ? {} : { only }),
    onScenario: (index, outcome, seconds) => {
      const f = outcome.figures;
      const verdict = outcome.violations.length === 0 ? "ok" : `${outcome.violations.length} VIOLATIONS`;
      console.log(
        `  #${index}: ${f.jobs} jobs, ${f.transitions} transitions, ${f.polls} polls, ${f.delivered} delivered, ` +
          `${f.duplicates} duplicates, ${f.crashes} crashes: ${verdict} (${seconds.toFixed(1)} s)`,
      );
    },
  });

  console.log(`\n${formatFigures(result.figures)}\n\n${result.seconds.toFixed(1)} s`);
  if (result.violations.length === 0) return;
  console.error(`\n${result.violations.length} invariant violations:`);
  for (const violation of result.violations) console.error(`  ${violation}`);
  for (const index of result.failedScenarios) {
    console.error(`reproduce: npm run chaos -- --scenarios ${scenarios} --seed ${seed} --only ${index}`);
  }
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
