import { parseArgs } from "node:util";
import { runDemo } from "./run";

// The SDK warns on Node 20 about its 2027 support window; the Lambda runtime is nodejs22.x, so it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const FORMATS = ["line", "email", "chat", "slack", "teams", "json"] as const;
type Format = (typeof FORMATS)[number];

const usage = `Usage: npm start -- [--format ${FORMATS.join("|")}] [--forever] [--ms-per-minute N]

Runs bedrock-job-notifier on embedded parts (Bedrock emulator, dynalite, fauxqs) and shows each notification as
it is delivered. Needs no AWS account and no network beyond 127.0.0.1.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      format: { type: "string", default: "line" },
      forever: { type: "boolean", default: false },
      "ms-per-minute": { type: "string", default: "400" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (!FORMATS.includes(values.format as Format)) throw new Error(`--format must be one of ${FORMATS.join(", ")}`);
  const msPerMinute = Number(values["ms-per-minute"]);
  if (!Number.isFinite(msPerMinute) || msPerMinute < 0) throw new Error("--ms-per-minute must be a number ≥ 0");

  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => controller.abort());
  await runDemo({ format: values.format as Format, forever: values.forever, msPerMinute, signal: controller.signal });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
