import { beforeAll, describe, expect, it } from "vitest";
import { KNOWN_STATUSES } from "../../src/domain/status";
import {
  type CfnResource,
  type CfnTemplate,
  type PackagedService,
  packageService,
  packageServiceExpectingFailure,
} from "./support/package-service";

// Three offline `serverless package` runs side by side in beforeAll (defaults, overrides, and a typo that must
// be refused); every assertion below reads their output. A full run takes a few seconds (esbuild bundles both
// functions); the refused one stops at variable resolution.
const PACKAGE_TIMEOUT_MS = 180_000;

const ZIP_BUDGET_BYTES = 300_000;
const SERVICE = "bedrock-job-notifier";
// CloudFormation Fn::Sub strings, not JavaScript templates.
// biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax
const BEDROCK_JOBS_ARN = "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:model-invocation-job/*";
// biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax
const OPEN_JOBS_INDEX_ARN = "${SnapshotTable.Arn}/index/open-jobs";
const FUNCTION_ENV_KEYS = [
  "DEEP_RECONCILE_HOURS",
  "FIRST_RUN",
  "INTERVAL_MINUTES",
  "LOOKBACK_MINUTES",
  "POWERTOOLS_LOG_LEVEL",
  "POWERTOOLS_METRICS_NAMESPACE",
  "POWERTOOLS_SERVICE_NAME",
  "SNAPSHOT_TABLE",
  "TOPIC_ARN",
];

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function resource(template: CfnTemplate, logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`template has no resource ${logicalId}`);
  return found;
}

function props(template: CfnTemplate, logicalId: string): Record<string, unknown> {
  return resource(template, logicalId).Properties ?? {};
}

function ofType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function lambdaStatements(template: CfnTemplate): Statement[] {
  const policies = props(template, "IamRoleLambdaExecution").Policies as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function statementFor(template: CfnTemplate, action: string): Statement {
  const matches = lambdaStatements(template).filter((s) => actionsOf(s).includes(action));
  expect(matches, `exactly one statement grants ${action}`).toHaveLength(1);
  return matches[0] as Statement;
}

/** The named alarm's properties, checked to watch the given metric (channel fragments may add alarms of their own). */
function alarm(template: CfnTemplate, logicalId: string, metricName: string): Record<string, unknown> {
  expect(resource(template, logicalId).Type).toBe("AWS::CloudWatch::Alarm");
  const properties = props(template, logicalId);
  expect(properties.MetricName).toBe(metricName);
  return properties;
}

function environmentOf(template: CfnTemplate, logicalId: string): Record<string, unknown> {
  return (props(template, logicalId).Environment as { Variables: Record<string, unknown> }).Variables;
}

/** rate(N unit[s]) in seconds; the schedule param is always a rate in these tests. */
function rateSeconds(expression: unknown): number {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(String(expression));
  if (!match) throw new Error(`not a rate expression: ${String(expression)}`);
  const unit = { minute: 60, hour: 3600, day: 86_400 }[match[2] as "minute" | "hour" | "day"];
  return Number(match[1]) * unit;
}

function scheduleRuleOf(template: CfnTemplate): Record<string, unknown> {
  const rules = ofType(template, "AWS::Events::Rule").filter(
    ([, r]) =>
      r.Properties?.ScheduleExpression !== undefined &&
      JSON.stringify(r.Properties.Targets).includes("PollLambdaFunction"),
  );
  expect(rules).toHaveLength(1);
  return rules[0]?.[1].Properties ?? {};
}

describe("serverless package", () => {
  let defaults: PackagedService;
  let overridden: PackagedService;
  let badFirstRunOutput: string;
  let badParamsOutput: string;
  let oldScheduleOutput: string;

  beforeAll(async () => {
    [defaults, overridden, badFirstRunOutput, badParamsOutput, oldScheduleOutput] = await Promise.all([
      packageService(),
      packageService({
        stage: "prod",
        region: "eu-west-1",
        params: {
          intervalMinutes: "10",
          firstRun: "notify",
          alarmEmail: "ops@example.com",
          logRetentionDays: "90",
        },
      }),
      packageServiceExpectingFailure({ params: { firstRun: "notfy" } }),
      packageServiceExpectingFailure({
        params: {
          emailStatuses: "Failed, Expired,Faild",
          intervalMinutes: "0",
          deepReconcileHours: "48",
          lookbackMinutes: "abc",
          logRetentionDays: "31",
          slackAllowedHosts: "hooks.slack.com,https://evil",
        },
      }),
      packageServiceExpectingFailure({ params: { schedule: "rate(1 minute)", scheduleIntervalSeconds: "60" } }),
    ]);
  }, PACKAGE_TIMEOUT_MS);

  describe("with the default params", () => {
    it("creates the snapshot table on demand, keyed by pk, with the open-jobs index, TTL, PITR and SSE, and retains it", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const table = resource(template, "SnapshotTable");

      // Assess
      expect(table.Type).toBe("AWS::DynamoDB::Table");
      expect(table.DeletionPolicy).toBe("Retain");
      expect(table.UpdateReplacePolicy).toBe("Retain");
      expect(table.Properties).toMatchObject({
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
          {
            IndexName: "open-jobs",
            KeySchema: [
              { AttributeName: "openShard", KeyType: "HASH" },
              { AttributeName: "pk", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      expect(table.Properties?.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "openShard", AttributeType: "S" },
        ]),
      );
    });

    it("encrypts the events and alarm topics with a rotating customer-managed key that AWS services of this account may use", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const key = props(template, "EventsTopicKey");
      const statements = (key.KeyPolicy as { Statement: (Statement & { Principal: unknown; Condition?: unknown })[] })
        .Statement;

      // Assess
      expect(resource(template, "EventsTopicKey").Type).toBe("AWS::KMS::Key");
      expect(key.EnableKeyRotation).toBe(true);
      expect(resource(template, "EventsTopicKeyAlias").Type).toBe("AWS::KMS::Alias");
      const services = statements.find((s) => JSON.stringify(s.Principal).includes("Service"));
      expect(services).toMatchObject({
        Principal: {
          // No grant that no service uses: nothing on EventBridge publishes to these topics.
          Service: ["sns.amazonaws.com", "cloudwatch.amazonaws.com"],
        },
        Action: expect.arrayContaining(["kms:GenerateDataKey*", "kms:Decrypt"]),
        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
      });
      expect(actionsOf(services as Statement)).toHaveLength(2);
      for (const topic of ["EventsTopic", "AlarmTopic"]) {
        expect(resource(template, topic).Type).toBe("AWS::SNS::Topic");
        expect(props(template, topic).KmsMasterKeyId).toEqual({ Ref: "EventsTopicKey" });
        expect(props(template, topic).FifoTopic).toBeUndefined();
      }
      expect(props(template, "EventsTopic").DisplayName).toEqual(expect.any(String));
      // CloudWatch Logs may use the key for this account's log groups, and every function's log group uses it.
      const logs = statements.find((s) => JSON.stringify(s.Principal).includes("logs."));
      expect(JSON.stringify(logs?.Condition)).toContain("kms:EncryptionContext:aws:logs:arn");
      const logGroups = ofType(template, "AWS::Logs::LogGroup");
      expect(logGroups.length).toBeGreaterThanOrEqual(7);
      for (const [, group] of logGroups)
        expect(group.Properties?.KmsKeyId).toEqual({ "Fn::GetAtt": ["EventsTopicKey", "Arn"] });
    });

    it("lets only the notifier's roles publish events, and denies non-TLS access to every topic and queue", () => {
      // Prepare
      const { template } = defaults;
      const denials = [
        ...ofType(template, "AWS::SNS::TopicPolicy"),
        ...ofType(template, "AWS::SQS::QueuePolicy"),
      ].flatMap(
        ([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
      );

      // Act
      const publishers = denials.find((s) => s.Sid === "OnlyTheNotifierPublishes") as Statement & {
        Condition: unknown;
      };
      const tls = JSON.stringify(denials.filter((s) => s.Sid === "DenyInsecureTransport"));

      // Assess
      expect(publishers).toMatchObject({ Effect: "Deny", Resource: { Ref: "EventsTopic" } });
      expect(publishers.Condition).toEqual({
        ArnNotEquals: {
          "aws:PrincipalArn": [
            { "Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"] },
            { "Fn::GetAtt": ["BedrockEventRole", "Arn"] },
          ],
        },
      });
      for (const topic of ofType(template, "AWS::SNS::Topic").map(([id]) => id))
        expect(tls).toContain(`"Ref":"${topic}"`);
      for (const queue of ofType(template, "AWS::SQS::Queue").map(([id]) => id))
        expect(tls).toContain(`"Fn::GetAtt":["${queue}","Arn"]`);
    });

    it("sends failed poll invocations to a queue encrypted with the customer key", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const dlq = resource(template, "PollDlq");
      const invokeConfig = props(template, "PollLambdaEvConf");

      // Assess
      expect(dlq.Type).toBe("AWS::SQS::Queue");
      expect(dlq.Properties?.KmsMasterKeyId).toEqual({ Ref: "EventsTopicKey" });
      for (const [, queue] of ofType(template, "AWS::SQS::Queue"))
        expect(queue.Properties?.KmsMasterKeyId).toEqual({ Ref: "EventsTopicKey" });
      expect(invokeConfig.DestinationConfig).toEqual({
        OnFailure: { Destination: { "Fn::GetAtt": ["PollDlq", "Arn"] } },
      });
    });

    it("runs poll every 5 minutes, one at a time, without retries, dropping invocations older than the interval", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const rule = scheduleRuleOf(template);
      const poll = props(template, "PollLambdaFunction");
      const invokeConfig = props(template, "PollLambdaEvConf");

      // Assess
      expect(rule.ScheduleExpression).toBe("rate(5 minutes)");
      expect(rule.State).toBe("ENABLED");
      expect(JSON.stringify(rule.Targets)).toContain("PollLambdaFunction");
      expect(poll).toMatchObject({
        Handler: "handlers/poll.handler",
        ReservedConcurrentExecutions: 1,
        MemorySize: 256,
        Timeout: 60,
      });
      expect(invokeConfig.MaximumRetryAttempts).toBe(0);
      expect(invokeConfig.MaximumEventAgeInSeconds).toBeLessThanOrEqual(rateSeconds(rule.ScheduleExpression));
    });

    it("runs onBedrockEvent on Bedrock's batch job state changes from the default bus, one at a time, without retries", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const rules = ofType(template, "AWS::Events::Rule").filter(([, r]) =>
        JSON.stringify(r.Properties?.Targets).includes("OnBedrockEventLambdaFunction"),
      );
      const invokeConfig = props(template, "OnBedrockEventLambdaEvConf");

      // Assess
      expect(rules).toHaveLength(1);
      expect(rules[0]?.[1].Properties).toMatchObject({
        EventPattern: { source: ["aws.bedrock"], "detail-type": ["Batch Inference Job State Change"] },
        State: "ENABLED",
      });
      expect(rules[0]?.[1].Properties?.EventBusName).toBeUndefined();
      expect(props(template, "OnBedrockEventLambdaFunction")).toMatchObject({
        Handler: "handlers/on-bedrock-event.handler",
        ReservedConcurrentExecutions: 1,
        // Its own role, with the poll's writer statements and only its own DLQ.
        Role: { "Fn::GetAtt": ["BedrockEventRole", "Arn"] },
      });
      const ownRole = props(template, "BedrockEventRole").Policies as Array<{
        PolicyDocument: { Statement: Statement[] };
      }>;
      const ownStatements = ownRole.flatMap((policy) => policy.PolicyDocument.Statement);
      expect(ownStatements.map((statement) => statement.Sid)).toEqual(
        expect.arrayContaining(
          lambdaStatements(template)
            .map((statement) => statement.Sid)
            .filter(Boolean),
        ),
      );
      const sends = ownStatements.filter((statement) => actionsOf(statement).includes("sqs:SendMessage"));
      expect(sends.map((statement) => statement.Resource)).toEqual([{ "Fn::GetAtt": ["BedrockEventDlq", "Arn"] }]);
      expect(invokeConfig.DestinationConfig).toEqual({
        OnFailure: { Destination: { "Fn::GetAtt": ["BedrockEventDlq", "Arn"] } },
      });
      expect(invokeConfig.MaximumRetryAttempts).toBe(0);
      expect(invokeConfig.MaximumEventAgeInSeconds).toBeLessThanOrEqual(
        rateSeconds(scheduleRuleOf(template).ScheduleExpression),
      );
    });

    it("runs both functions on nodejs22.x for arm64", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const functions = ["PollLambdaFunction", "OnBedrockEventLambdaFunction"].map((id) => props(template, id));

      // Assess
      for (const fn of functions) {
        expect(fn.Runtime).toBe("nodejs22.x");
        expect(fn.Architectures).toEqual(["arm64"]);
      }
      expect(props(template, "PollLogGroup").RetentionInDays).toBe(30);
    });

    it("gives both functions exactly the documented environment, with nothing that looks like a secret", () => {
      // Prepare
      const { template } = defaults;
      const secretLike = /secret|token|password|webhook/i;

      for (const id of ["PollLambdaFunction", "OnBedrockEventLambdaFunction"]) {
        // Act
        const env = environmentOf(template, id);

        // Assess
        expect(Object.keys(env).sort()).toEqual(FUNCTION_ENV_KEYS);
        expect(env).toMatchObject({
          SNAPSHOT_TABLE: { Ref: "SnapshotTable" },
          TOPIC_ARN: { Ref: "EventsTopic" },
          LOOKBACK_MINUTES: "60",
          FIRST_RUN: "baseline",
          POWERTOOLS_SERVICE_NAME: SERVICE,
          POWERTOOLS_METRICS_NAMESPACE: "BedrockJobNotifier",
          POWERTOOLS_LOG_LEVEL: "INFO",
          INTERVAL_MINUTES: "5",
          DEEP_RECONCILE_HOURS: "24",
        });
        const literalSecrets = Object.entries(env).filter(
          ([name, value]) => secretLike.test(name) && typeof value === "string",
        );
        expect(literalSecrets).toEqual([]);
      }
    });

    it("grants '*' only for listing Bedrock jobs; every other statement names its resources", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const wildcard = lambdaStatements(template).filter((s) => [s.Resource].flat().includes("*"));

      // Assess
      expect(wildcard).toHaveLength(1);
      expect(actionsOf(wildcard[0] as Statement)).toEqual(["bedrock:ListModelInvocationJobs"]);
      expect(statementFor(template, "bedrock:GetModelInvocationJob").Resource).toEqual({
        "Fn::Sub": BEDROCK_JOBS_ARN,
      });
      expect(lambdaStatements(template).every((s) => s.Effect === "Allow")).toBe(true);
      expect(lambdaStatements(template).flatMap(actionsOf)).not.toContain("cloudwatch:PutMetricData");
    });

    it("scopes publishing to the events topic, its key, the DLQ, and the DynamoDB actions to the table and its index", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const dynamodb = statementFor(template, "dynamodb:UpdateItem");
      const query = statementFor(template, "dynamodb:Query");

      // Assess
      expect(statementFor(template, "sns:Publish").Resource).toEqual({ Ref: "EventsTopic" });
      expect(statementFor(template, "kms:GenerateDataKey*").Resource).toEqual({
        "Fn::GetAtt": ["EventsTopicKey", "Arn"],
      });
      expect(statementFor(template, "kms:Decrypt").Resource).toEqual({ "Fn::GetAtt": ["EventsTopicKey", "Arn"] });
      expect(statementFor(template, "sqs:SendMessage").Resource).toEqual({ "Fn::GetAtt": ["PollDlq", "Arn"] });
      // Only what the code calls: every write is a conditional UpdateItem; the one Query is on the open-jobs index.
      expect(actionsOf(dynamodb).sort()).toEqual(["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]);
      expect(dynamodb.Resource).toEqual({ "Fn::GetAtt": ["SnapshotTable", "Arn"] });
      expect(actionsOf(query)).toEqual(["dynamodb:Query"]);
      expect(query.Resource).toEqual({ "Fn::Sub": OPEN_JOBS_INDEX_ARN });
      const granted = lambdaStatements(template).flatMap(actionsOf);
      for (const unused of ["dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:Scan", "dynamodb:DeleteItem"])
        expect(granted).not.toContain(unused);
    });

    it("alarms on poll errors, publish failures, missed polls, a non-empty DLQ and Bedrock access denials", () => {
      // Prepare
      const { template } = defaults;
      const interval = rateSeconds(scheduleRuleOf(template).ScheduleExpression);
      const serviceDimension = [{ Name: "service", Value: SERVICE }];
      const toAlarmTopic = { AlarmActions: [{ Ref: "AlarmTopic" }] };

      // Act
      const pollErrors = alarm(template, "PollErrorsAlarm", "Errors");
      const publishFailures = alarm(template, "PublishFailuresAlarm", "PublishFailures");
      const pollSucceeded = alarm(template, "PollStalledAlarm", "PollSucceeded");
      const dlq = alarm(template, "PollDlqNotEmptyAlarm", "ApproximateNumberOfMessagesVisible");
      const accessDenied = alarm(template, "BedrockAccessDeniedAlarm", "BedrockAccessDenied");
      const late = alarm(template, "ReconciledLateAlarm", "ReconciledLate");
      expect(late).toMatchObject({ Statistic: "Sum", Threshold: 1, Period: 300 });

      // Assess
      expect(pollErrors).toMatchObject({
        ...toAlarmTopic,
        Namespace: "AWS/Lambda",
        Dimensions: [{ Name: "FunctionName", Value: { Ref: "PollLambdaFunction" } }],
        Statistic: "Sum",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      for (const alarm of [publishFailures, accessDenied]) {
        expect(alarm).toMatchObject({
          ...toAlarmTopic,
          Namespace: "BedrockJobNotifier",
          Dimensions: serviceDimension,
          Statistic: "Sum",
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        });
      }
      expect(pollSucceeded).toMatchObject({
        ...toAlarmTopic,
        Namespace: "BedrockJobNotifier",
        Dimensions: serviceDimension,
        Statistic: "Sum",
        Period: interval,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 1,
        ComparisonOperator: "LessThanThreshold",
        TreatMissingData: "breaching",
      });
      expect(dlq).toMatchObject({
        ...toAlarmTopic,
        Namespace: "AWS/SQS",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": ["PollDlq", "QueueName"] } }],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    });

    it("subscribes no alarm email unless alarmEmail is given", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const subscription = resource(template, "AlarmEmailSubscription");

      // Assess
      expect(subscription.Condition).toBe("HasAlarmEmail");
      expect(template.Conditions?.HasAlarmEmail).toEqual({ "Fn::Not": [{ "Fn::Equals": ["", ""] }] });
    });

    it("outputs the events topic ARN, table name, DLQ URL and alarm topic ARN", () => {
      // Prepare
      const { template } = defaults;

      // Act
      const outputs = template.Outputs ?? {};

      // Assess
      expect(outputs.EventsTopicArn?.Value).toEqual({ Ref: "EventsTopic" });
      expect(outputs.SnapshotTableName?.Value).toEqual({ Ref: "SnapshotTable" });
      expect(outputs.PollDlqUrl?.Value).toEqual({ Ref: "PollDlq" });
      expect(outputs.AlarmTopicArn?.Value).toEqual({ Ref: "AlarmTopic" });
    });

    it("bundles each function into its own zip of at most 300 KB", () => {
      // Prepare
      const { zipBytes } = defaults;

      // Act
      const sizes = Object.entries(zipBytes);
      console.info(`zip sizes: ${sizes.map(([file, bytes]) => `${file} ${bytes} bytes`).join(", ")}`);

      // Assess
      expect(Object.keys(zipBytes)).toEqual(expect.arrayContaining(["poll.zip", "onBedrockEvent.zip"]));
      for (const [, bytes] of sizes) expect(bytes).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
    });
  });

  describe("with --param overrides", () => {
    it("uses the given schedule, and the event age follows the given interval", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const rule = scheduleRuleOf(template);

      // Assess
      expect(rule.ScheduleExpression).toBe("rate(10 minutes)");
      expect(props(template, "PollLambdaEvConf").MaximumEventAgeInSeconds).toBe(600);
      // A CLI param arrives as a string; CloudFormation accepts "600" for an integer property.
      expect(Number(alarm(template, "PollStalledAlarm", "PollSucceeded").Period)).toBe(600);
    });

    it("passes firstRun to both functions and keeps logs for logRetentionDays", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const firstRuns = ["PollLambdaFunction", "OnBedrockEventLambdaFunction"].map(
        (id) => environmentOf(template, id).FIRST_RUN,
      );

      // Assess
      expect(firstRuns).toEqual(["notify", "notify"]);
      expect(props(template, "PollLogGroup").RetentionInDays).toBe(90);
    });

    it("subscribes alarmEmail to the alarm topic", () => {
      // Prepare
      const { template } = overridden;

      // Act
      const subscription = resource(template, "AlarmEmailSubscription");

      // Assess
      expect(template.Conditions?.HasAlarmEmail).toEqual({ "Fn::Not": [{ "Fn::Equals": ["ops@example.com", ""] }] });
      expect(subscription.Properties).toEqual({
        TopicArn: { Ref: "AlarmTopic" },
        Protocol: "email",
        Endpoint: "ops@example.com",
      });
    });

    it("refuses to package a firstRun that is neither baseline nor notify", () => {
      // Assess
      expect(badFirstRunOutput).toContain("FIRST_RUN");
    });

    it("refuses every bad param at once, naming each and what it accepts", () => {
      // Assess
      for (const expected of [
        "param emailStatuses must be a comma list, without spaces, of Submitted, Validating, Scheduled",
        'not " Expired", "Faild"',
        'param intervalMinutes must be a whole number from 1 to 480, got "0"',
        'param deepReconcileHours must be a whole number from 1 to 24, got "48"',
        'param lookbackMinutes must be a whole number from 1 to 10080, got "abc"',
        "param logRetentionDays must be one of 1, 3, 5, 7, 14, 30",
        'param slackAllowedHosts must be a comma list, without spaces, of host names or *.domain patterns; not "https://evil"',
      ])
        expect(badParamsOutput).toContain(expected);
    });

    it("checks statuses against the same list the code knows", () => {
      // Assess
      expect(badParamsOutput).toContain(KNOWN_STATUSES.join(", "));
    });

    it("refuses the replaced schedule params, naming intervalMinutes, rather than ignoring them", () => {
      // Assess
      expect(oldScheduleOutput).toContain("param schedule is no longer read: set intervalMinutes");
      expect(oldScheduleOutput).toContain("param scheduleIntervalSeconds is no longer read: set intervalMinutes");
    });
  });
});
