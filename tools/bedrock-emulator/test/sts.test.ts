import {
  BedrockClient,
  BedrockServiceException,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
} from "@aws-sdk/client-bedrock";
import { AssumeRoleCommand, type AssumeRoleCommandInput, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, ManualClock } from "../src";
import { failureOf, scopedClient } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");
const MEMBER = "210987654321";
const ROLE = `arn:aws:iam::${MEMBER}:role/BedrockJobNotifierReader`;
const LOCAL_KEYS = { accessKeyId: "local", secretAccessKey: "local" };

function stsFor(emulator: BedrockEmulator, credentials = LOCAL_KEYS): STSClient {
  return new STSClient({ endpoint: emulator.stsEndpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

async function stsFailureOf(call: Promise<unknown>): Promise<STSServiceException> {
  try {
    await call;
  } catch (error) {
    if (error instanceof STSServiceException) return error;
    throw error;
  }
  throw new Error("Expected the call to fail, but it succeeded");
}

describe("emulated STS AssumeRole", () => {
  let emulator: BedrockEmulator;
  let clock: ManualClock;
  let sts: STSClient;

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    emulator = await BedrockEmulator.start({ clock, sts: { deniedAccounts: ["999999999999"] } });
    sts = stsFor(emulator);
  });

  afterEach(() => emulator.resetStats());

  afterAll(async () => {
    sts.destroy();
    await emulator.stop();
  });

  const assume = (input: Partial<AssumeRoleCommandInput> = {}) =>
    sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "notifier", ...input }));

  it("answers XML the SDK parses into credentials for the role's account, expiring after one hour", async () => {
    const response = await assume();

    expect(emulator.stsEndpoint).toBe(emulator.endpoint);
    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(response.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.Credentials).toEqual({
      AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
      SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
      SessionToken: expect.any(String),
      Expiration: new Date("2026-11-23T14:00:00.000Z"),
    });
    expect(response.AssumedRoleUser).toEqual({
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:notifier$/),
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/BedrockJobNotifierReader/notifier`,
    });
  });

  it("honours DurationSeconds and names only the last segment of a role path", async () => {
    const response = await assume({
      RoleArn: `arn:aws:iam::${MEMBER}:role/team/ops/Reader`,
      DurationSeconds: 900,
    });

    expect(response.Credentials?.Expiration).toEqual(new Date("2026-11-23T13:15:00.000Z"));
    expect(response.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/Reader/notifier`);
  });

  it("gives keys that sign Bedrock requests into the role's account", async () => {
    emulator.addJob({ jobName: "member-job", status: "InProgress" }, { accountId: MEMBER });
    emulator.addJob({ jobName: "central-job", status: "InProgress" });
    const { Credentials } = await assume();
    const member = scopedClient(emulator, "us-east-1", {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    });

    const listed = await member.send(new ListModelInvocationJobsCommand({}));
    member.destroy();

    expect(listed.invocationJobSummaries?.map((job) => job.jobName)).toEqual(["member-job"]);
    expect(listed.invocationJobSummaries?.[0]?.jobArn).toContain(`:${MEMBER}:`);
  });

  it("answers AccessDenied 403 for a denied account, which the SDK names AccessDenied", async () => {
    const error = await stsFailureOf(assume({ RoleArn: "arn:aws:iam::999999999999:role/BedrockJobNotifierReader" }));

    expect(error.name).toBe("AccessDenied");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.$fault).toBe("client");
    expect(error.message).toBe(
      "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: " +
        "arn:aws:iam::999999999999:role/BedrockJobNotifierReader",
    );
    expect(emulator.stats().sts).toEqual({
      assumeRole: 1,
      assumeRoleByAccount: { "999999999999": 1 },
      accessDenied: 1,
    });
  });

  it("denies and allows roles at run time", async () => {
    emulator.denyAssumeRole(ROLE);
    const denied = await stsFailureOf(assume());
    const otherRole = await assume({ RoleArn: `arn:aws:iam::${MEMBER}:role/Other` });
    emulator.allowAssumeRole(ROLE);
    const allowed = await assume();

    expect(denied.name).toBe("AccessDenied");
    expect(otherRole.Credentials).toBeDefined();
    expect(allowed.Credentials).toBeDefined();
    expect(() => emulator.denyAssumeRole("not-a-role")).toThrow(RangeError);
  });

  it.each([
    ["a malformed role ARN", { RoleArn: "arn:aws:iam::1234:role/Reader" }, "Request ARN is invalid"],
    [
      "a session name with a space",
      { RoleSessionName: "my session" },
      "1 validation error detected: Value 'my session' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    ],
    [
      "a one-character session name",
      { RoleSessionName: "x" },
      "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ],
    [
      "a session shorter than 15 minutes",
      { DurationSeconds: 899 },
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
    [
      "a session longer than 12 hours",
      { DurationSeconds: 43_201 },
      "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    ],
  ])("answers ValidationError 400 for %s", async (_case, input, message) => {
    const error = await stsFailureOf(assume(input));

    expect(error.name).toBe("ValidationError");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(message);
  });

  it("counts AssumeRole calls in all and per account, apart from Bedrock calls", async () => {
    await assume();
    await assume();
    await assume({ RoleArn: "arn:aws:iam::333333333333:role/Reader" });

    const stats = emulator.stats();

    expect(stats.sts).toEqual({
      assumeRole: 3,
      assumeRoleByAccount: { [MEMBER]: 2, "333333333333": 1 },
      accessDenied: 0,
    });
    expect(stats.calls).toEqual({});
  });

  it("refuses session keys once expired on the emulator clock, with ExpiredTokenException 403", async () => {
    const { Credentials } = await assume({ DurationSeconds: 900 });
    const keys = {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    };
    const member = scopedClient(emulator, "us-east-1", keys);
    const chained = stsFor(emulator, keys);

    clock.advance(14 * 60_000);
    const beforeExpiry = await member.send(new ListModelInvocationJobsCommand({}));
    clock.advance(60_000);
    const error = await failureOf(member.send(new ListModelInvocationJobsCommand({})));
    const stsError = await stsFailureOf(
      chained.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "chained" })),
    );
    member.destroy();
    chained.destroy();

    expect(beforeExpiry.$metadata.httpStatusCode).toBe(200);
    expect(error.name).toBe("ExpiredTokenException");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe("The security token included in the request is expired");
    expect(stsError.name).toBe("ExpiredToken");
    expect(stsError.$metadata.httpStatusCode).toBe(403);
  });

  it("refuses a session key sent without its session token (UnrecognizedClientException 403)", async () => {
    const { Credentials } = await assume();
    const tokenless = scopedClient(emulator, "us-east-1", {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
    });

    const error = await failureOf(tokenless.send(new ListModelInvocationJobsCommand({})));
    tokenless.destroy();

    expect(error.name).toBe("UnrecognizedClientException");
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});

describe("fromTemporaryCredentials against the emulated STS", () => {
  let emulator: BedrockEmulator;

  // The SDK compares Expiration with the real time, so these tests run the emulator on the real clock.
  beforeAll(async () => {
    emulator = await BedrockEmulator.start();
    emulator.addJob({ jobName: "west-member-job", status: "InProgress" }, { accountId: MEMBER, region: "us-west-2" });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it("assumes the role once and signs Bedrock calls that land in the member account's region", async () => {
    const credentials = fromTemporaryCredentials({
      params: { RoleArn: ROLE, RoleSessionName: "bedrock-job-notifier" },
      masterCredentials: LOCAL_KEYS,
      clientConfig: { endpoint: emulator.stsEndpoint, region: "us-east-1" },
    });
    const member = new BedrockClient({ endpoint: emulator.endpoint, region: "us-west-2", credentials });

    const listed = await member.send(new ListModelInvocationJobsCommand({}));
    const job = await member.send(
      new GetModelInvocationJobCommand({ jobIdentifier: listed.invocationJobSummaries?.[0]?.jobArn ?? "" }),
    );
    member.destroy();

    expect(job.jobName).toBe("west-member-job");
    expect(job.jobArn).toMatch(new RegExp(`^arn:aws:bedrock:us-west-2:${MEMBER}:`));
    expect(emulator.stats().sts.assumeRoleByAccount).toEqual({ [MEMBER]: 1 });
    expect(emulator.stats().byScope[`${MEMBER}:us-west-2`]?.calls).toEqual({
      ListModelInvocationJobs: 1,
      GetModelInvocationJob: 1,
    });
  });

  it("finds both endpoints through AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_BEDROCK, with no code change", async () => {
    const saved = { sts: process.env.AWS_ENDPOINT_URL_STS, bedrock: process.env.AWS_ENDPOINT_URL_BEDROCK };
    process.env.AWS_ENDPOINT_URL_STS = emulator.stsEndpoint;
    process.env.AWS_ENDPOINT_URL_BEDROCK = emulator.endpoint;
    try {
      const member = new BedrockClient({
        region: "us-west-2",
        credentials: fromTemporaryCredentials({
          params: { RoleArn: ROLE, RoleSessionName: "from-env" },
          masterCredentials: LOCAL_KEYS,
          clientConfig: { region: "us-west-2" },
        }),
      });

      const created = await member.send(
        new CreateModelInvocationJobCommand({
          jobName: "created-from-env",
          roleArn: `arn:aws:iam::${MEMBER}:role/BedrockBatchRole`,
          modelId: "anthropic.claude-3-haiku-20240307-v1:0",
          inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://batch-bucket/input/records.jsonl" } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://batch-bucket/output/" } },
        }),
      );
      member.destroy();

      expect(created.jobArn).toMatch(new RegExp(`^arn:aws:bedrock:us-west-2:${MEMBER}:`));
      expect(emulator.getJob(created.jobArn ?? "")?.jobName).toBe("created-from-env");
    } finally {
      for (const [name, value] of [
        ["AWS_ENDPOINT_URL_STS", saved.sts],
        ["AWS_ENDPOINT_URL_BEDROCK", saved.bedrock],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("surfaces a denied role as the SDK's AccessDenied error on the Bedrock call", async () => {
    emulator.denyAssumeRole(MEMBER);
    const member = new BedrockClient({
      endpoint: emulator.endpoint,
      region: "us-west-2",
      maxAttempts: 1,
      credentials: fromTemporaryCredentials({
        params: { RoleArn: ROLE, RoleSessionName: "denied" },
        masterCredentials: LOCAL_KEYS,
        clientConfig: { endpoint: emulator.stsEndpoint, region: "us-east-1", maxAttempts: 1 },
      }),
    });

    const error = await member.send(new ListModelInvocationJobsCommand({})).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    member.destroy();
    emulator.allowAssumeRole(MEMBER);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BedrockServiceException);
    expect((error as Error).name).toBe("AccessDenied");
  });
});

describe("STS and scopes on the wire", () => {
  let emulator: BedrockEmulator;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(new Date("2026-11-24T18:00:00.250Z")) });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  const post = (body: string) =>
    fetch(emulator.stsEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body,
    });

  it("answers AssumeRole with the XML document STS sends, expiry in whole seconds", async () => {
    const response = await post(
      `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(ROLE)}&RoleSessionName=session`,
    );
    const xml = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/xml");
    expect(xml).toMatch(
      new RegExp(
        '^<AssumeRoleResponse xmlns="https://sts\\.amazonaws\\.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
          "<AccessKeyId>ASIA[A-Z2-7]{16}</AccessKeyId><SecretAccessKey>[^<]{40}</SecretAccessKey>" +
          "<SessionToken>[^<]+</SessionToken><Expiration>2026-11-24T19:00:00Z</Expiration></Credentials>" +
          "<AssumedRoleUser><AssumedRoleId>AROA[A-Z2-7]{17}:session</AssumedRoleId>" +
          `<Arn>arn:aws:sts::${MEMBER}:assumed-role/BedrockJobNotifierReader/session</Arn></AssumedRoleUser>` +
          "</AssumeRoleResult><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata>" +
          "</AssumeRoleResponse>$",
      ),
    );
  });

  it("answers errors as an awsQuery ErrorResponse", async () => {
    const response = await post("Action=GetCallerIdentity&Version=2011-06-15");

    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>Could not find operation GetCallerIdentity for version 2011-06-15<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
  });

  it("uses the default scope for an unsigned request, and the presigned credential scope when there is one", async () => {
    emulator.addJob({ jobName: "west", status: "InProgress" }, { region: "us-west-2" });
    const unsigned = await fetch(`${emulator.endpoint}/model-invocation-jobs`);
    const credential = encodeURIComponent("local/20261124/us-west-2/bedrock/aws4_request");
    const presigned = await fetch(`${emulator.endpoint}/model-invocation-jobs?X-Amz-Credential=${credential}`);

    expect(await unsigned.json()).toEqual({ invocationJobSummaries: [] });
    expect(((await presigned.json()) as { invocationJobSummaries: unknown[] }).invocationJobSummaries).toHaveLength(1);
  });
});
