import { describe, expect, it } from "vitest";
import { parseDispatchConfig } from "../../src/config/dispatch-config";
import { type Environment, EnvironmentReader } from "../../src/config/environment";
import { type EstateConfig, onlyScopeOf, partitionOf, readAccountAliases } from "../../src/config/estate-config";
import { parsePollConfig } from "../../src/config/poll-config";
import { ConfigurationError } from "../../src/errors";

const baseEnv = {
  SNAPSHOT_TABLE: "bedrock-job-notifier-dev-snapshot",
  TOPIC_ARN: "arn:aws:sns:eu-west-1:210987654321:bedrock-job-status",
  AWS_REGION: "eu-west-1",
};

const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/210987654321/bedrock-job-notifier-dev-scopes";

/** Runs `parse` and returns the ConfigurationError it throws. */
function configurationErrorOf(parse: () => unknown): ConfigurationError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

const pollProblems = (env: Environment): readonly string[] =>
  configurationErrorOf(() => parsePollConfig({ ...baseEnv, ...env })).problems;

/** Reads ACCOUNT_ALIASES the way a handler does: the map, then `done` with every problem. */
function aliasesOf(value: string | undefined): Map<string, string> {
  const reader = new EnvironmentReader({ ACCOUNT_ALIASES: value });
  return reader.done(readAccountAliases(reader));
}

const estateConfig = (estate: EstateConfig["estate"]): EstateConfig => ({
  estate,
  home: { accountId: "210987654321", region: "eu-west-1" },
  memberRoleName: "bedrock-job-notifier-reader",
  partition: "aws",
});

describe("the estate in parsePollConfig", () => {
  it("watches the home scope by default: the topic's account in the function's region", () => {
    // Act
    const config = parsePollConfig(baseEnv);

    // Assess
    expect(config.estate).toEqual({ regions: ["eu-west-1"], accounts: ["210987654321"] });
    expect(config.home).toEqual({ accountId: "210987654321", region: "eu-west-1" });
    expect(config.memberRoleName).toBe("bedrock-job-notifier-reader");
    expect(config.partition).toBe("aws");
  });

  it("reads REGIONS and ACCOUNTS as comma lists, trimming each entry and keeping their order", () => {
    // Act
    const config = parsePollConfig({
      ...baseEnv,
      REGIONS: "us-east-1, eu-west-1 ,ap-southeast-2",
      ACCOUNTS: "111111111111 , 222222222222",
    });

    // Assess
    expect(config.estate).toEqual({
      regions: ["us-east-1", "eu-west-1", "ap-southeast-2"],
      accounts: ["111111111111", "222222222222"],
    });
    expect(config.home).toEqual({ accountId: "210987654321", region: "eu-west-1" });
  });

  it("keeps the home scope the deployment's own even when REGIONS and ACCOUNTS leave it out", () => {
    // Act
    const config = parsePollConfig({ ...baseEnv, REGIONS: "us-east-1", ACCOUNTS: "111111111111" });

    // Assess
    expect(config.home).toEqual({ accountId: "210987654321", region: "eu-west-1" });
  });

  it("treats empty REGIONS and ACCOUNTS as unset", () => {
    // Act
    const config = parsePollConfig({ ...baseEnv, REGIONS: " ", ACCOUNTS: "" });

    // Assess
    expect(config.estate).toEqual({ regions: ["eu-west-1"], accounts: ["210987654321"] });
  });

  it("names every malformed region", () => {
    // Act
    const problems = pollProblems({ REGIONS: "us-east-1,US-WEST-2,eu-west" });

    // Assess
    expect(problems).toEqual([
      'REGIONS must be a comma list of AWS regions such as us-east-1, not "US-WEST-2", "eu-west"',
    ]);
  });

  it("names an empty entry of a list (a stray comma)", () => {
    // Act
    const problems = pollProblems({ REGIONS: "us-east-1," });

    // Assess
    expect(problems).toEqual(['REGIONS must be a comma list of AWS regions such as us-east-1, not ""']);
  });

  it("names every malformed account", () => {
    // Act
    const problems = pollProblems({ ACCOUNTS: "111111111111,12345,abcdefghijkl" });

    // Assess
    expect(problems).toEqual(['ACCOUNTS must be a comma list of 12-digit account ids, not "12345", "abcdefghijkl"']);
  });

  it("names a repeated region once, however often it repeats", () => {
    // Act
    const problems = pollProblems({ REGIONS: "us-east-1,eu-west-1,us-east-1, us-east-1" });

    // Assess
    expect(problems).toEqual(['REGIONS lists "us-east-1" more than once']);
  });

  it("names every repeated account", () => {
    // Act
    const problems = pollProblems({ ACCOUNTS: "111111111111,222222222222,111111111111,222222222222" });

    // Assess
    expect(problems).toEqual(['ACCOUNTS lists "111111111111", "222222222222" more than once']);
  });

  it("watches the organization's accounts (accounts null) with ORGANIZATION=true", () => {
    // Act
    const config = parsePollConfig({ ...baseEnv, ORGANIZATION: "true", REGIONS: "us-east-1,eu-west-1" });

    // Assess
    expect(config.estate).toEqual({ regions: ["us-east-1", "eu-west-1"], accounts: null });
    expect(config.home).toEqual({ accountId: "210987654321", region: "eu-west-1" });
  });

  it("watches the listed accounts with ORGANIZATION=false", () => {
    // Act
    const config = parsePollConfig({ ...baseEnv, ORGANIZATION: "false", ACCOUNTS: "111111111111" });

    // Assess
    expect(config.estate.accounts).toEqual(["111111111111"]);
  });

  it("refuses ACCOUNTS together with ORGANIZATION=true", () => {
    // Act
    const problems = pollProblems({ ORGANIZATION: "true", ACCOUNTS: "111111111111" });

    // Assess
    expect(problems).toEqual(["ACCOUNTS must be empty when ORGANIZATION=true (the organization lists them)"]);
  });

  it("refuses an ORGANIZATION that is neither true nor false", () => {
    // Act
    const problems = pollProblems({ ORGANIZATION: "yes" });

    // Assess
    expect(problems).toEqual(['ORGANIZATION must be "true" or "false", got "yes"']);
  });

  it("reads MEMBER_ROLE_NAME when given", () => {
    // Act
    const config = parsePollConfig({ ...baseEnv, MEMBER_ROLE_NAME: "Org+Reader=a,b.c@d-e_f" });

    // Assess
    expect(config.memberRoleName).toBe("Org+Reader=a,b.c@d-e_f");
  });

  it.each([
    ["a path", "team/reader"],
    ["a space", "bedrock reader"],
    ["an ARN", "arn:aws:iam::111111111111:role/reader"],
    ["65 characters", "r".repeat(65)],
  ])("refuses a MEMBER_ROLE_NAME with %s", (_, roleName) => {
    // Act
    const problems = pollProblems({ MEMBER_ROLE_NAME: roleName });

    // Assess
    expect(problems).toEqual([`MEMBER_ROLE_NAME must be an IAM role name, got "${roleName}"`]);
  });

  it("accepts a 64-character MEMBER_ROLE_NAME", () => {
    // Act
    const config = parsePollConfig({ ...baseEnv, MEMBER_ROLE_NAME: "r".repeat(64) });

    // Assess
    expect(config.memberRoleName).toBe("r".repeat(64));
  });

  it.each([
    ["cn-north-1", "arn:aws-cn:sns:cn-north-1:210987654321:events", "aws-cn"],
    ["us-gov-west-1", "arn:aws-us-gov:sns:us-gov-west-1:210987654321:events", "aws-us-gov"],
    ["eu-west-1", "arn:aws:sns:eu-west-1:210987654321:events", "aws"],
  ])("takes the partition of %s from the region", (region, topicArn, partition) => {
    // Act
    const config = parsePollConfig({ ...baseEnv, AWS_REGION: region, TOPIC_ARN: topicArn });

    // Assess
    expect(config.partition).toBe(partition);
    expect(config.home).toEqual({ accountId: "210987654321", region });
  });

  it("reports estate problems together with the other variables' problems", () => {
    // Act
    const problems = configurationErrorOf(() =>
      parsePollConfig({ ...baseEnv, SNAPSHOT_TABLE: "", REGIONS: "nowhere", ORGANIZATION: "true", ACCOUNTS: "1" }),
    ).problems;

    // Assess
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual([
      "SNAPSHOT_TABLE",
      "REGIONS",
      "ACCOUNTS",
      "ACCOUNTS",
    ]);
  });
});

describe("partitionOf", () => {
  it.each([
    ["us-east-1", "aws"],
    ["eu-central-2", "aws"],
    ["ap-northeast-3", "aws"],
    ["cn-north-1", "aws-cn"],
    ["cn-northwest-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
    ["us-gov-east-1", "aws-us-gov"],
  ])("places %s in %s", (region, partition) => {
    // Act
    const found = partitionOf(region);

    // Assess
    expect(found).toBe(partition);
  });
});

describe("onlyScopeOf", () => {
  it("gives the one scope of one account in one region", () => {
    // Act
    const scope = onlyScopeOf(estateConfig({ regions: ["us-east-1"], accounts: ["111111111111"] }));

    // Assess
    expect(scope).toEqual({ accountId: "111111111111", region: "us-east-1" });
  });

  it("gives the default estate's home scope", () => {
    // Act
    const scope = onlyScopeOf(parsePollConfig(baseEnv));

    // Assess
    expect(scope).toEqual({ accountId: "210987654321", region: "eu-west-1" });
  });

  it.each<[string, EstateConfig["estate"]]>([
    ["several regions", { regions: ["us-east-1", "eu-west-1"], accounts: ["111111111111"] }],
    ["several accounts", { regions: ["us-east-1"], accounts: ["111111111111", "222222222222"] }],
    ["the organization", { regions: ["us-east-1"], accounts: null }],
    ["no accounts", { regions: ["us-east-1"], accounts: [] }],
    ["no regions", { regions: [], accounts: ["111111111111"] }],
  ])("refuses %s with a ConfigurationError", (_, estate) => {
    // Act
    const error = configurationErrorOf(() => onlyScopeOf(estateConfig(estate)));

    // Assess
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^the poll function watches exactly one scope/);
  });
});

describe("readAccountAliases", () => {
  it("is empty when ACCOUNT_ALIASES is unset or empty", () => {
    // Act
    const unset = aliasesOf(undefined);
    const empty = aliasesOf("  ");

    // Assess
    expect(unset).toEqual(new Map());
    expect(empty).toEqual(new Map());
  });

  it("maps each account id to its alias, in order", () => {
    // Act
    const aliases = aliasesOf("123456789012:prod,210987654321:staging eu");

    // Assess
    expect([...aliases]).toEqual([
      ["123456789012", "prod"],
      ["210987654321", "staging eu"],
    ]);
  });

  it.each([
    ["no alias", "123456789012"],
    ["an empty alias", "123456789012:"],
    ["a short account", "12345:prod"],
    ["a second colon", "123456789012:prod:eu"],
    ["a character aliases may not hold", "123456789012:prod<script>"],
    ["a 65-character alias", `123456789012:${"a".repeat(65)}`],
  ])("names an entry with %s", (_, entry) => {
    // Act
    const error = configurationErrorOf(() => aliasesOf(`210987654321:staging,${entry}`));

    // Assess
    expect(error.problems).toEqual([
      `ACCOUNT_ALIASES must be a comma list of <12-digit account id>:<alias>, got "${entry}"`,
    ]);
  });

  it("names an account given two aliases", () => {
    // Act
    const error = configurationErrorOf(() => aliasesOf("123456789012:prod,123456789012:production"));

    // Assess
    expect(error.problems).toEqual(["ACCOUNT_ALIASES names account 123456789012 twice"]);
  });

  it("records its problems in the reader alongside the others", () => {
    // Prepare
    const reader = new EnvironmentReader({ ACCOUNT_ALIASES: "oops", REGIONS: "x" });
    reader.problem("an earlier problem");

    // Act
    readAccountAliases(reader);
    const error = configurationErrorOf(() => reader.done({}));

    // Assess
    expect(error.problems).toEqual([
      "an earlier problem",
      'ACCOUNT_ALIASES must be a comma list of <12-digit account id>:<alias>, got "oops"',
    ]);
  });
});

describe("parseDispatchConfig", () => {
  it("reads the poll's configuration plus the scope queue", () => {
    // Act
    const config = parseDispatchConfig({ ...baseEnv, SCOPE_QUEUE_URL: QUEUE_URL, ORGANIZATION: "true" });

    // Assess
    expect(config).toMatchObject({
      scopeQueueUrl: QUEUE_URL,
      snapshotTable: baseEnv.SNAPSHOT_TABLE,
      estate: { regions: ["eu-west-1"], accounts: null },
      home: { accountId: "210987654321", region: "eu-west-1" },
    });
  });

  it("requires SCOPE_QUEUE_URL", () => {
    // Act
    const error = configurationErrorOf(() => parseDispatchConfig(baseEnv));

    // Assess
    expect(error.problems).toEqual(["SCOPE_QUEUE_URL is required (an SQS queue URL)"]);
  });

  it("refuses a SCOPE_QUEUE_URL that is not a queue URL", () => {
    // Act
    const error = configurationErrorOf(() =>
      parseDispatchConfig({ ...baseEnv, SCOPE_QUEUE_URL: "arn:aws:sqs:eu-west-1:210987654321:scopes" }),
    );

    // Assess
    expect(error.problems).toEqual([
      'SCOPE_QUEUE_URL must be an SQS queue URL, got "arn:aws:sqs:eu-west-1:210987654321:scopes"',
    ]);
  });

  it("reports a missing SCOPE_QUEUE_URL in one ConfigurationError with the other problems", () => {
    // Act
    const error = configurationErrorOf(() =>
      parseDispatchConfig({ ...baseEnv, TOPIC_ARN: "", REGIONS: "mars-1", ORGANIZATION: "true", ACCOUNTS: "1" }),
    );

    // Assess
    expect(error.problems.map((problem) => problem.split(" ")[0])).toEqual([
      "TOPIC_ARN",
      "REGIONS",
      "ACCOUNTS",
      "ACCOUNTS",
      "SCOPE_QUEUE_URL",
    ]);
  });
});
