import { AssumeRoleCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { AssumedRoleCredentials, REFRESH_BEFORE_EXPIRY_MS } from "../../src/adapters/assumed-role-credentials";
import { MemberRoleError } from "../../src/errors";
import { at, minutes, T0 } from "../support/factories";
import { FakeClock } from "../support/fakes";

const stsMock = mockClient(STSClient);
const MEMBER = "210987654321";
const OTHER = "111122223333";

const accessDenied = () =>
  new STSServiceException({
    name: "AccessDenied",
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
    message: "User is not authorized to perform: sts:AssumeRole",
  });

/** STS answers every AssumeRole with a session of its own (key "AKIA<n>"), valid an hour from the clock. */
function issueSessions(clock: FakeClock): void {
  let issued = 0;
  stsMock.on(AssumeRoleCommand).callsFake(async () => {
    issued++;
    return {
      Credentials: {
        AccessKeyId: `AKIA${issued}`,
        SecretAccessKey: `secret-${issued}`,
        SessionToken: `token-${issued}`,
        Expiration: at(minutes(60), clock.now()),
      },
    };
  });
}

const assumeInputs = () => stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);

describe("AssumedRoleCredentials", () => {
  let clock: FakeClock;
  let credentials: AssumedRoleCredentials;

  beforeEach(() => {
    stsMock.reset();
    clock = new FakeClock(T0);
    credentials = new AssumedRoleCredentials(new STSClient({ region: "us-east-1" }), {
      partition: "aws",
      roleName: "bedrock-job-notifier-reader",
      sessionName: "bedrock-job-notifier-dev",
      clock: clock.now,
    });
  });

  it("assumes the member role of the account, by name, session name and one-hour duration", async () => {
    // Prepare
    issueSessions(clock);

    // Act
    const identity = await credentials.credentialsFor(MEMBER);

    // Assess
    expect(assumeInputs()).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER}:role/bedrock-job-notifier-reader`,
        RoleSessionName: "bedrock-job-notifier-dev",
        DurationSeconds: 3600,
      },
    ]);
    expect(identity).toEqual({
      accessKeyId: "AKIA1",
      secretAccessKey: "secret-1",
      sessionToken: "token-1",
      expiration: at(minutes(60)),
    });
  });

  it.each([
    ["aws-cn", "arn:aws-cn:iam::210987654321:role/reader"],
    ["aws-us-gov", "arn:aws-us-gov:iam::210987654321:role/reader"],
  ])("names the role in the %s partition", async (partition, roleArn) => {
    // Prepare
    issueSessions(clock);
    const inPartition = new AssumedRoleCredentials(new STSClient({ region: "us-east-1" }), {
      partition,
      roleName: "reader",
      sessionName: "s",
      clock: clock.now,
    });

    // Act
    await inPartition.credentialsFor(MEMBER);

    // Assess
    expect(inPartition.roleArnFor(MEMBER)).toBe(roleArn);
    expect(assumeInputs().map((input) => input.RoleArn)).toEqual([roleArn]);
  });

  it("reuses an account's session without asking STS again", async () => {
    // Prepare
    issueSessions(clock);
    const first = await credentials.credentialsFor(MEMBER);
    clock.advance(minutes(30));

    // Act
    const second = await credentials.credentialsFor(MEMBER);

    // Assess
    expect(second).toEqual(first);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(credentials.calls).toBe(1);
  });

  it("shares one AssumeRole among concurrent first requests for an account", async () => {
    // Prepare
    issueSessions(clock);

    // Act
    const identities = await Promise.all([1, 2, 3, 4].map(() => credentials.credentialsFor(MEMBER)));

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(new Set(identities.map((identity) => identity.accessKeyId))).toEqual(new Set(["AKIA1"]));
  });

  it("asks again when the session expires within 5 minutes", async () => {
    // Prepare
    issueSessions(clock);
    await credentials.credentialsFor(MEMBER);
    clock.advance(minutes(55) + 1);

    // Act
    const refreshed = await credentials.credentialsFor(MEMBER);

    // Assess
    expect(REFRESH_BEFORE_EXPIRY_MS).toBe(minutes(5));
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(refreshed.accessKeyId).toBe("AKIA2");
    expect(refreshed.expiration).toEqual(at(minutes(60), clock.now()));
  });

  it("keeps the session 6 minutes before it expires", async () => {
    // Prepare
    issueSessions(clock);
    await credentials.credentialsFor(MEMBER);
    clock.advance(minutes(54));

    // Act
    const kept = await credentials.credentialsFor(MEMBER);

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(kept.accessKeyId).toBe("AKIA1");
  });

  it("refreshes once for concurrent requests that find the session about to expire", async () => {
    // Prepare
    issueSessions(clock);
    await credentials.credentialsFor(MEMBER);
    clock.advance(minutes(58));

    // Act
    const identities = await Promise.all([1, 2, 3].map(() => credentials.credentialsFor(MEMBER)));

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(identities.map((identity) => identity.accessKeyId)).toEqual(["AKIA2", "AKIA2", "AKIA2"]);
  });

  it("turns a refusal into a MemberRoleError naming the role", async () => {
    // Prepare
    const refusal = accessDenied();
    stsMock.on(AssumeRoleCommand).rejects(refusal);

    // Act
    const error = await credentials.credentialsFor(MEMBER).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(MemberRoleError);
    const roleArn = `arn:aws:iam::${MEMBER}:role/bedrock-job-notifier-reader`;
    expect(error).toMatchObject({ roleArn, cause: refusal });
    expect((error as Error).message).toContain(roleArn);
    expect((error as Error).message).toContain("STS answered AccessDenied");
  });

  it("shares one refused AssumeRole among concurrent first requests for an account", async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).rejects(accessDenied());

    // Act
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => credentials.credentialsFor(MEMBER)));

    // Assess
    expect(results.every((result) => result.status === "rejected" && result.reason instanceof MemberRoleError)).toBe(
      true,
    );
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(credentials.calls).toBe(1);
  });

  it("does not cache a refusal: the next request asks again", async () => {
    // Prepare
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(accessDenied())
      .resolves({
        Credentials: {
          AccessKeyId: "AKIA-after",
          SecretAccessKey: "secret",
          SessionToken: "token",
          Expiration: at(minutes(60)),
        },
      });
    await credentials.credentialsFor(MEMBER).catch(() => undefined);

    // Act
    const identity = await credentials.credentialsFor(MEMBER);

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(credentials.calls).toBe(2);
    expect(identity.accessKeyId).toBe("AKIA-after");
  });

  it("refuses an answer without credentials", async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves({});

    // Act
    const error = await credentials.credentialsFor(MEMBER).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(MemberRoleError);
    expect((error as Error).message).toContain("STS answered without credentials");
  });

  it("counts every AssumeRole request", async () => {
    // Prepare
    issueSessions(clock);

    // Act
    await credentials.credentialsFor(MEMBER);
    await credentials.credentialsFor(MEMBER);
    await credentials.credentialsFor(OTHER);
    clock.advance(minutes(56));
    await credentials.credentialsFor(MEMBER);

    // Assess
    expect(credentials.calls).toBe(3);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(3);
  });

  it("gives each account its own session", async () => {
    // Prepare
    issueSessions(clock);

    // Act
    const member = await credentials.credentialsFor(MEMBER);
    const other = await credentials.credentialsFor(OTHER);
    const memberAgain = await credentials.credentialsFor(MEMBER);

    // Assess
    expect(member.accessKeyId).not.toBe(other.accessKeyId);
    expect(memberAgain).toEqual(member);
    expect(assumeInputs().map((input) => input.RoleArn)).toEqual([
      `arn:aws:iam::${MEMBER}:role/bedrock-job-notifier-reader`,
      `arn:aws:iam::${OTHER}:role/bedrock-job-notifier-reader`,
    ]);
  });

  it("keeps one account's refusal from another account's session", async () => {
    // Prepare
    issueSessions(clock);
    stsMock
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${OTHER}:role/bedrock-job-notifier-reader` })
      .rejects(accessDenied());

    // Act
    const [member, other] = await Promise.allSettled([
      credentials.credentialsFor(MEMBER),
      credentials.credentialsFor(OTHER),
    ]);

    // Assess
    expect(member).toMatchObject({ status: "fulfilled", value: { accessKeyId: "AKIA1" } });
    expect(other).toMatchObject({ status: "rejected", reason: expect.any(MemberRoleError) });
  });

  it("hands a client a provider that reads the same cache", async () => {
    // Prepare
    issueSessions(clock);
    const provider = credentials.providerFor(MEMBER);

    // Act
    const fromProvider = await provider();
    const direct = await credentials.credentialsFor(MEMBER);

    // Assess
    expect(fromProvider).toEqual(direct);
    expect(credentials.calls).toBe(1);
  });
});
