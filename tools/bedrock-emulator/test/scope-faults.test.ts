import { BedrockServiceException, ListModelInvocationJobsCommand } from "@aws-sdk/client-bedrock";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, ManualClock } from "../src";
import { failureOf, scopedClient } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");
const MEMBER = "210987654321";

async function listOutcome(emulator: BedrockEmulator, region: string, accountId?: string): Promise<string> {
  const credentials = accountId ? emulator.credentialsFor(accountId) : undefined;
  const client = scopedClient(emulator, region, credentials);
  try {
    await client.send(new ListModelInvocationJobsCommand({}));
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.name : "unknown";
  } finally {
    client.destroy();
  }
}

describe("per-scope faults", () => {
  let emulator: BedrockEmulator;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW) });
  });

  afterEach(() => {
    emulator.setFaults({});
    emulator.clearScopeFaults();
    emulator.resetStats();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it("throttles one scope and leaves the others alone", async () => {
    emulator.setScopeFaults({ region: "us-west-2" }, { throttleRate: 1 });

    const outcomes = [
      await listOutcome(emulator, "us-west-2"),
      await listOutcome(emulator, "us-east-1"),
      await listOutcome(emulator, "us-west-2", MEMBER),
    ];

    expect(outcomes).toEqual(["ThrottlingException", "ok", "ok"]);
    expect(emulator.stats().byScope["123456789012:us-west-2"]?.faults).toEqual({
      throttled: 1,
      serverErrors: 0,
      accessDenied: 0,
    });
    expect(emulator.stats().faults).toEqual({ throttled: 1, serverErrors: 0 });
  });

  it("keeps the global faults for scopes without an override, and lets an override switch them off", async () => {
    emulator.setFaults({ serverErrorRate: 1 });
    emulator.setScopeFaults({ accountId: MEMBER }, {});

    const outcomes = [await listOutcome(emulator, "us-east-1"), await listOutcome(emulator, "us-east-1", MEMBER)];
    emulator.clearScopeFaults({ accountId: MEMBER });
    const afterClear = await listOutcome(emulator, "us-east-1", MEMBER);

    expect(outcomes).toEqual(["InternalServerException", "ok"]);
    expect(afterClear).toBe("InternalServerException");
  });

  it("applies per-operation rates within a scope", async () => {
    emulator.setScopeFaults(
      { accountId: MEMBER, region: "eu-west-1" },
      { perOperation: { ListModelInvocationJobs: { serverErrorRate: 1 } } },
    );

    expect(await listOutcome(emulator, "eu-west-1", MEMBER)).toBe("InternalServerException");
  });

  it("answers AccessDeniedException 403 for every call of an access-denied scope, naming the assumed role", async () => {
    emulator.setScopeFaults({ accountId: MEMBER }, { accessDenied: true });
    const sts = new STSClient({
      endpoint: emulator.stsEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Reader`, RoleSessionName: "notifier" }),
    );
    sts.destroy();
    const member = scopedClient(emulator, "us-east-1", {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    });

    const error = await failureOf(member.send(new ListModelInvocationJobsCommand({})));
    member.destroy();

    expect(error.name).toBe("AccessDeniedException");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(
      `User: arn:aws:sts::${MEMBER}:assumed-role/Reader/notifier is not authorized to perform: ` +
        `bedrock:ListModelInvocationJobs on resource: arn:aws:bedrock:us-east-1:${MEMBER}:model-invocation-job/* ` +
        "because no identity-based policy allows the bedrock:ListModelInvocationJobs action",
    );
    expect(await listOutcome(emulator, "us-east-1")).toBe("ok");
    expect(emulator.stats().byScope[`${MEMBER}:us-east-1`]?.faults.accessDenied).toBe(1);
    expect(emulator.scopes()).toEqual([]);
  });

  it("rejects invalid rates before replacing anything", async () => {
    emulator.setScopeFaults({ region: "us-west-2" }, { throttleRate: 1 });

    expect(() => emulator.setScopeFaults({ region: "us-west-2" }, { throttleRate: 2 })).toThrow(RangeError);
    expect(await listOutcome(emulator, "us-west-2")).toBe("ThrottlingException");
  });
});

describe("offered regions", () => {
  let emulator: BedrockEmulator;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW), regions: ["us-east-1", "us-west-2"] });
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it("answers in an offered region", async () => {
    expect(emulator.regions).toEqual(["us-east-1", "us-west-2"]);
    expect(await listOutcome(emulator, "us-west-2")).toBe("ok");
  });

  it("drops the connection for another region, which the SDK reports as a network error", async () => {
    const client = scopedClient(emulator, "ap-northeast-3");

    const error = await client.send(new ListModelInvocationJobsCommand({})).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    client.destroy();

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(BedrockServiceException);
    expect((error as NodeJS.ErrnoException).code).toBe("ECONNRESET");
    expect(emulator.stats().unofferedRegions).toEqual({ "ap-northeast-3": 1 });
    expect(emulator.stats().byScope).not.toHaveProperty("123456789012:ap-northeast-3");
  });

  it("keeps answering STS whatever region it is signed for: STS is not a Bedrock region", async () => {
    const sts = new STSClient({
      endpoint: emulator.stsEndpoint,
      region: "ap-northeast-3",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });

    const response = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Reader`, RoleSessionName: "notifier" }),
    );
    sts.destroy();

    expect(response.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it("refuses programmatic use of an unoffered region, and a default region outside the list", async () => {
    expect(() => emulator.addJob({}, { region: "eu-west-1" })).toThrow(RangeError);
    await expect(BedrockEmulator.start({ region: "eu-west-1", regions: ["us-east-1"] })).rejects.toThrow(RangeError);
  });
});
