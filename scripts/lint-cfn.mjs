// npm run lint:cfn — packages the service twice (default params, and every optional channel param set) and runs
// cfn-lint (the Python linter, 1.x) on each CloudFormation template, then on templates/member-account.yml (the
// StackSet template, linted as written, with no check ignored). Any error or warning fails, except in the packaged
// templates:
// - W3005 (DependsOn already enforced by a GetAtt): the Serverless Framework adds DependsOn from each function to
//   the IAM role named in its `role:`; redundant, harmless, and not ours to remove.
// - W8003 (a Condition that is always true or false): params are resolved at package time, so every Condition
//   over a param is constant in a packaged template by design (one template per set of params).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const IGNORED = ["W3005", "W8003"];
const SETS = {
  "default params": [],
  "every optional channel param": [
    "notifyEmail=ops@example.com",
    "alarmEmail=oncall@example.com",
    "emailStatuses=Failed,Expired",
    "slackWebhookParameter=/bedrock-job-notifier/slack-webhook-url",
    "teamsWebhookParameter=/aws/reference/secretsmanager/teams-webhook-url",
    "eventBusName=bedrock-jobs",
  ],
  "several scopes (2 accounts x 2 regions)": ["regions=us-east-1,eu-west-1", "accounts=111111111111,222222222222"],
  "the organization": ["organization=true", "organizationId=o-abcdefghij", "regions=us-east-1,us-west-2"],
  "no daily digest": ["digestSchedule=off"],
  "a routes file (notifier.routes.example.yml)": ["routesFile=notifier.routes.example.yml"],
};

if (spawnSync("cfn-lint", ["--version"], { stdio: "ignore" }).status !== 0) {
  console.error("cfn-lint is not installed: pip install cfn-lint (1.x)");
  process.exit(1);
}

let failed = false;
for (const [label, params] of Object.entries(SETS)) {
  const dir = mkdtempSync(join(tmpdir(), "bjn-cfn-"));
  try {
    execFileSync(
      "npx",
      [
        "serverless",
        "package",
        "--stage",
        "dev",
        "--region",
        "us-east-1",
        "--package",
        dir,
        ...params.map((p) => `--param=${p}`),
      ],
      {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" },
      },
    );
    const template = join(dir, "cloudformation-template-update-stack.json");
    const lint = spawnSync("cfn-lint", ["--ignore-checks", ...IGNORED, "--", template], { encoding: "utf8" });
    const findings = (lint.stdout + lint.stderr).trim();
    if (lint.status !== 0 || findings !== "") {
      failed = true;
      console.error(`cfn-lint, ${label}:\n${findings}`);
    } else {
      console.log(`cfn-lint, ${label}: 0 errors, 0 warnings (${IGNORED.join(", ")} explained in scripts/lint-cfn.mjs)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
// The member template is plain CloudFormation: nothing is generated, so nothing is ignored.
const MEMBER_TEMPLATE = relative(
  process.cwd(),
  join(dirname(fileURLToPath(import.meta.url)), "..", "templates", "member-account.yml"),
);
const memberLint = spawnSync("cfn-lint", ["--", MEMBER_TEMPLATE], { encoding: "utf8" });
const memberFindings = (memberLint.stdout + memberLint.stderr).trim();
if (memberLint.status !== 0 || memberFindings !== "") {
  failed = true;
  console.error(`cfn-lint, ${MEMBER_TEMPLATE}:\n${memberFindings}`);
} else {
  console.log(`cfn-lint, ${MEMBER_TEMPLATE}: 0 errors, 0 warnings (nothing ignored)`);
}
process.exit(failed ? 1 : 0);
