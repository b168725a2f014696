/**
 * Renders a parsed CloudFormation template for one stack instance, the way CloudFormation would: parameters with
 * their defaults, the Conditions evaluated against the instance's account and region, resources and outputs whose
 * condition is false dropped, and the intrinsic functions the member template uses resolved (`Ref`, `Fn::Sub`,
 * `Fn::If`, `Fn::GetAtt`, `AWS::NoValue`). A `Ref` or `Fn::GetAtt` of a resource becomes a marker string
 * (`ref:Id`, `getatt:Id.Attr`), so tests can see which resource a property points at. Anything else throws: a test
 * must never pass because the renderer skipped what it did not understand.
 */
export interface Instance {
  accountId: string;
  region: string;
  partition?: string;
  parameters: Record<string, string>;
}

export interface RenderedResource {
  Type: string;
  Properties: Record<string, unknown>;
}

export interface RenderedStack {
  resources: Record<string, RenderedResource>;
  outputs: Record<string, unknown>;
}

interface TemplateShape {
  Parameters?: Record<string, { Type: string; Default?: string; AllowedPattern?: string }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Condition?: string; Value: unknown }>;
}

const NO_VALUE = Symbol("AWS::NoValue");

export function renderInstance(template: Record<string, unknown>, instance: Instance): RenderedStack {
  const shape = template as unknown as TemplateShape;
  const refs = resolveParameters(shape, instance);
  const conditions = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    const known = conditions.get(name);
    if (known !== undefined) return known;
    const expression = shape.Conditions?.[name];
    if (expression === undefined) throw new Error(`unknown condition ${name}`);
    const value = evaluate(expression, { refs, condition, resources: new Set() });
    if (typeof value !== "boolean") throw new Error(`condition ${name} is not a boolean`);
    conditions.set(name, value);
    return value;
  };

  const kept = Object.entries(shape.Resources).filter(([, r]) => r.Condition === undefined || condition(r.Condition));
  const context = { refs, condition, resources: new Set(kept.map(([id]) => id)) };
  const resources: Record<string, RenderedResource> = {};
  for (const [id, r] of kept) {
    resources[id] = {
      Type: r.Type,
      Properties: (evaluate(r.Properties ?? {}, context) ?? {}) as Record<string, unknown>,
    };
  }
  const outputs: Record<string, unknown> = {};
  for (const [id, o] of Object.entries(shape.Outputs ?? {})) {
    if (o.Condition === undefined || condition(o.Condition)) outputs[id] = evaluate(o.Value, context);
  }
  return { resources, outputs };
}

function resolveParameters(shape: TemplateShape, instance: Instance): Map<string, unknown> {
  const refs = new Map<string, unknown>([
    ["AWS::AccountId", instance.accountId],
    ["AWS::Region", instance.region],
    ["AWS::Partition", instance.partition ?? "aws"],
    ["AWS::NoValue", NO_VALUE],
  ]);
  for (const name of Object.keys(instance.parameters)) {
    if (!shape.Parameters?.[name]) throw new Error(`the template has no parameter ${name}`);
  }
  for (const [name, declared] of Object.entries(shape.Parameters ?? {})) {
    const value = instance.parameters[name] ?? declared.Default;
    if (value === undefined) throw new Error(`parameter ${name} has no value and no default`);
    if (declared.AllowedPattern && !new RegExp(declared.AllowedPattern).test(value)) {
      throw new Error(`parameter ${name}=${value} does not match ${declared.AllowedPattern}`);
    }
    refs.set(name, declared.Type === "CommaDelimitedList" ? value.split(",") : value);
  }
  return refs;
}

interface Context {
  refs: Map<string, unknown>;
  condition: (name: string) => boolean;
  resources: Set<string>;
}

function ref(name: string, context: Context): unknown {
  if (context.refs.has(name)) return context.refs.get(name);
  if (context.resources.has(name)) return `ref:${name}`;
  throw new Error(`Ref to ${name}, which is neither a parameter nor a created resource`);
}

function getAtt(resource: string, attribute: string, context: Context): string {
  if (!context.resources.has(resource)) throw new Error(`GetAtt of ${resource}, which is not created`);
  return `getatt:${resource}.${attribute}`;
}

function sub(text: string, context: Context): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (context.refs.has(name) || context.resources.has(name)) return String(ref(name, context));
    const dot = name.indexOf(".");
    if (dot > 0) return getAtt(name.slice(0, dot), name.slice(dot + 1), context);
    throw new Error(`Fn::Sub names an unknown \${${name}}`);
  });
}

function evaluate(node: unknown, context: Context): unknown {
  if (Array.isArray(node)) {
    return node.map((item) => evaluate(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (node === null || typeof node !== "object") return node;
  const entries = Object.entries(node);
  const [first] = entries;
  if (
    entries.length === 1 &&
    first &&
    (first[0] === "Ref" || first[0] === "Condition" || first[0].startsWith("Fn::"))
  ) {
    return intrinsic(first[0], first[1], context);
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const evaluated = evaluate(value, context);
    if (evaluated !== NO_VALUE) result[key] = evaluated;
  }
  return result;
}

function intrinsic(name: string, argument: unknown, context: Context): unknown {
  const args = Array.isArray(argument) ? argument : [argument];
  switch (name) {
    case "Ref":
      return ref(String(argument), context);
    case "Condition":
      return context.condition(String(argument));
    case "Fn::Sub":
      if (typeof argument !== "string") throw new Error("only the one-argument Fn::Sub is supported");
      return sub(argument, context);
    case "Fn::GetAtt":
      return getAtt(String(args[0]), String(args[1]), context);
    case "Fn::If":
      return evaluate(context.condition(String(args[0])) ? args[1] : args[2], context);
    case "Fn::Equals":
      return evaluate(args[0], context) === evaluate(args[1], context);
    case "Fn::Not":
      return !evaluate(args[0], context);
    case "Fn::And":
      return args.every((arg) => evaluate(arg, context) === true);
    case "Fn::Or":
      return args.some((arg) => evaluate(arg, context) === true);
    default:
      throw new Error(`${name} is not supported by the test renderer`);
  }
}
