import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Instance, type RenderedStack, renderInstance } from "./support/cfn-evaluate";
import { readCfnYaml } from "./support/cfn-yaml";
import { type CfnTemplate, packageService, repoRoot } from "./support/package-service";

// templates/member-account.yml rendered for one stack instance at a time, as CloudFormation would (conditions
// evaluated, intrinsics resolved): what each kind of instance of the StackSet creates, and what the roles may do.
const TEMPLATE_PATH = join(repoRoot, "templates", "member-account.yml");
const PACKAGE_TIMEOUT_MS = 180_000;

const CENTRAL = "111111111111";
const MEMBER = "222222222222";
const NOTIFIER_REGION = "eu-west-1";
const OTHER_REGION = "us-west-2";
const POLL_ROLE = `arn:aws:iam::${CENTRAL}:role/bedrock-job-notifier-prod-eu-west-1-lambdaRole`;
const EVENTS_ROLE = `arn:aws:iam::${CENTRAL}:role/bedrock-job-notifier-prod-bedrock-events`;
const OPERATOR = `arn:aws:iam::${CENTRAL}:role/platform-oncall`;
const CENTRAL_BUS = `arn:aws:events:${NOTIFIER_REGION}:${CENTRAL}:event-bus/default`;
const ALLOWED_TYPES = ["AWS::IAM::Role", "AWS::Events::Rule", "AWS::CloudFormation::WaitConditionHandle"];

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, unknown>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

const template = readCfnYaml(TEMPLATE_PATH);

function instance(accountId: string, region: string, parameters: Record<string, string> = {}): Instance {
  return {
    accountId,
    region,
    parameters: {
      CentralAccountId: CENTRAL,
      NotifierRegion: NOTIFIER_REGION,
      NotifierRoleArns: `${POLL_ROLE},${EVENTS_ROLE}`,
      ...parameters,
    },
  };
}

function render(accountId: string, region: string, parameters: Record<string, string> = {}): RenderedStack {
  return renderInstance(template, instance(accountId, region, parameters));
}

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function ofType(stack: RenderedStack, type: string): Record<string, unknown>[] {
  return Object.values(stack.resources)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties);
}

function readerRole(stack: RenderedStack): Record<string, unknown> {
  const roles = ofType(stack, "AWS::IAM::Role").filter((role) => role.RoleName !== undefined);
  expect(roles, "exactly one named (reader) role").toHaveLength(1);
  return roles[0] as Record<string, unknown>;
}

function forwardingRule(stack: RenderedStack): Record<string, unknown> {
  const rules = ofType(stack, "AWS::Events::Rule");
  expect(rules, "exactly one rule").toHaveLength(1);
  return rules[0] as Record<string, unknown>;
}

function permissionStatements(role: Record<string, unknown>): Statement[] {
  const policies = role.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

function trustStatements(role: Record<string, unknown>): Statement[] {
  return (role.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
}

function trustedPrincipals(role: Record<string, unknown>): string[] {
  return trustStatements(role).flatMap((s) => list(s.Principal?.AWS as string | string[]));
}

function resourceKinds(stack: RenderedStack): string[] {
  return Object.values(stack.resources)
    .map((r) => (r.Type === "AWS::IAM::Role" && r.Properties.RoleName !== undefined ? "reader role" : r.Type))
    .sort();
}

describe("templates/member-account.yml", () => {
  describe("the reader role (a member account, notifier-region instance)", () => {
    const stack = render(MEMBER, NOTIFIER_REGION);

    it("allows exactly ListModelInvocationJobs on * and GetModelInvocationJob on this account's jobs, nothing else", () => {
      // Act
      const role = readerRole(stack);
      const statements = permissionStatements(role);

      // Assess
      expect(statements.every((s) => s.Effect === "Allow" && s.Condition === undefined)).toBe(true);
      expect(statements.flatMap((s) => list(s.Action)).sort()).toEqual([
        "bedrock:GetModelInvocationJob",
        "bedrock:ListModelInvocationJobs",
      ]);
      const resourcesOf = (action: string) =>
        statements.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
      expect(resourcesOf("bedrock:ListModelInvocationJobs")).toEqual(["*"]);
      expect(resourcesOf("bedrock:GetModelInvocationJob")).toEqual([
        `arn:aws:bedrock:*:${MEMBER}:model-invocation-job/*`,
      ]);
      expect(role.ManagedPolicyArns).toBeUndefined();
    });

    it("is named ReaderRoleName and lets a session last at most one hour", () => {
      // Act
      const renamed = readerRole(render(MEMBER, NOTIFIER_REGION, { ReaderRoleName: "bjn-reader" }));

      // Assess
      expect(readerRole(stack).RoleName).toBe("bedrock-job-notifier-reader");
      expect(renamed.RoleName).toBe("bjn-reader");
      expect(readerRole(stack).MaxSessionDuration).toBe(3600);
    });

    it("trusts only the notifier's roles, for sts:AssumeRole, when no operator is given", () => {
      // Act
      const role = readerRole(stack);

      // Assess
      expect(trustedPrincipals(role).sort()).toEqual([EVENTS_ROLE, POLL_ROLE].sort());
      for (const statement of trustStatements(role)) {
        expect(statement.Effect).toBe("Allow");
        expect(list(statement.Action)).toEqual(["sts:AssumeRole"]);
        expect(Object.keys(statement.Principal ?? {})).toEqual(["AWS"]);
      }
    });

    it("also trusts the operator principal when OperatorPrincipalArn is set", () => {
      // Act
      const role = readerRole(render(MEMBER, NOTIFIER_REGION, { OperatorPrincipalArn: OPERATOR }));

      // Assess
      expect(trustedPrincipals(role).sort()).toEqual([EVENTS_ROLE, OPERATOR, POLL_ROLE].sort());
      for (const statement of trustStatements(role)) {
        expect(list(statement.Action)).toEqual(["sts:AssumeRole"]);
        expect(Object.keys(statement.Principal ?? {})).toEqual(["AWS"]);
      }
    });
  });

  describe("what each instance creates", () => {
    it.each([
      [
        "a member account, notifier region",
        MEMBER,
        NOTIFIER_REGION,
        ["AWS::Events::Rule", "AWS::IAM::Role", "reader role"],
      ],
      ["a member account, another region", MEMBER, OTHER_REGION, ["AWS::Events::Rule", "AWS::IAM::Role"]],
      ["the central account, another region", CENTRAL, OTHER_REGION, ["AWS::Events::Rule", "AWS::IAM::Role"]],
      // Nothing to do there; the placeholder only keeps the stack valid (CloudFormation refuses an empty one).
      ["the central account, notifier region", CENTRAL, NOTIFIER_REGION, ["AWS::CloudFormation::WaitConditionHandle"]],
    ])("%s: %j", (_label, accountId, region, expected) => {
      // Act
      const stack = render(accountId, region);

      // Assess
      expect(resourceKinds(stack)).toEqual(expected);
    });

    it("declares no resource types but the roles, the rule and the empty-stack placeholder", () => {
      // Act
      const declared = Object.values(template.Resources as CfnTemplate["Resources"]).map((r) => r.Type);

      // Assess
      expect(declared.filter((type) => !ALLOWED_TYPES.includes(type))).toEqual([]);
    });

    it("outputs the reader role ARN only where the role exists, and the rule ARN where the rule exists", () => {
      // Act
      const outputs = [
        render(MEMBER, NOTIFIER_REGION),
        render(MEMBER, OTHER_REGION),
        render(CENTRAL, NOTIFIER_REGION),
      ].map((stack) => Object.keys(stack.outputs).sort());

      // Assess
      expect(outputs).toEqual([["ForwardRuleArn", "ReaderRoleArn"], ["ForwardRuleArn"], []]);
    });
  });

  describe("the forwarding rule", () => {
    const stack = render(MEMBER, OTHER_REGION);
    let centralPatterns: unknown[];

    beforeAll(async () => {
      // The central side's Bedrock-event rule, as the packaged stack defines it (whatever serverless.yml calls it).
      const { template: packaged } = await packageService();
      centralPatterns = Object.values(packaged.Resources)
        .filter((r) => r.Type === "AWS::Events::Rule")
        .map((r) => r.Properties?.EventPattern as { source?: string[] } | undefined)
        .filter((pattern) => pattern?.source?.includes("aws.bedrock"));
    }, PACKAGE_TIMEOUT_MS);

    it("matches exactly the source and detail-type the central stack's Bedrock-event rule matches", () => {
      // Act
      const pattern = forwardingRule(stack).EventPattern as Record<string, unknown>;

      // Assess
      expect(pattern).toEqual({ source: ["aws.bedrock"], "detail-type": ["Batch Inference Job State Change"] });
      expect(centralPatterns.length).toBeGreaterThanOrEqual(1);
      for (const central of centralPatterns as Record<string, unknown>[]) {
        expect({ source: central.source, "detail-type": central["detail-type"] }).toEqual(pattern);
      }
    });

    it("sits on this account's default bus and targets the central default bus in the notifier region, through its own role", () => {
      // Act
      const rule = forwardingRule(stack);
      const targets = rule.Targets as { Arn: string; RoleArn: string }[];

      // Assess
      expect(rule.EventBusName === undefined || rule.EventBusName === "default").toBe(true);
      expect(rule.State).toBe("ENABLED");
      expect(targets).toHaveLength(1);
      expect(targets[0]?.Arn).toBe(CENTRAL_BUS);
      const roleId = /^getatt:(\w+)\.Arn$/.exec(targets[0]?.RoleArn ?? "")?.[1];
      expect(stack.resources[roleId ?? ""]?.Type).toBe("AWS::IAM::Role");
    });

    it("gives EventBridge a role that may only put events on the central bus, unnamed so regions do not collide", () => {
      // Act
      const rule = forwardingRule(stack);
      const roleId = /^getatt:(\w+)\.Arn$/.exec((rule.Targets as { RoleArn: string }[])[0]?.RoleArn ?? "")?.[1];
      const role = stack.resources[roleId ?? ""]?.Properties ?? {};
      const statements = permissionStatements(role);

      // Assess
      expect(role.RoleName).toBeUndefined();
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(statements.flatMap((s) => list(s.Action))).toEqual(["events:PutEvents"]);
      expect(statements.flatMap((s) => list(s.Resource))).toEqual([CENTRAL_BUS]);
      expect(trustStatements(role).map((s) => s.Principal)).toEqual([{ Service: "events.amazonaws.com" }]);
    });

    it("targets the notifier region's bus from every region, in the instance's partition", () => {
      // Act
      const fromUsEast = forwardingRule(render(MEMBER, "us-east-1"));
      const govInstance = instance(MEMBER, "us-gov-east-1", { NotifierRegion: "us-gov-west-1" });
      const inGovCloud = forwardingRule(renderInstance(template, { ...govInstance, partition: "aws-us-gov" }));

      // Assess
      expect((fromUsEast.Targets as { Arn: string }[])[0]?.Arn).toBe(CENTRAL_BUS);
      expect((inGovCloud.Targets as { Arn: string }[])[0]?.Arn).toBe(
        `arn:aws-us-gov:events:us-gov-west-1:${CENTRAL}:event-bus/default`,
      );
    });
  });
});
