import { readFileSync } from "node:fs";
import { type CollectionTag, parse, type ScalarTag } from "yaml";

/**
 * Parses a plain CloudFormation YAML template, turning its short-form tags into the long form CloudFormation itself
 * reads (`!Ref X` → `{ Ref: "X" }`, `!Sub s` → `{ "Fn::Sub": s }`, `!GetAtt A.B` → `{ "Fn::GetAtt": ["A", "B"] }`),
 * so tests compare the same structures as a JSON template.
 */
export function parseCfnYaml(text: string): Record<string, unknown> {
  return parse(text, { customTags: CFN_TAGS }) as Record<string, unknown>;
}

export function readCfnYaml(path: string): Record<string, unknown> {
  return parseCfnYaml(readFileSync(path, "utf8"));
}

const FUNCTIONS = [
  "Base64",
  "Cidr",
  "Equals",
  "FindInMap",
  "GetAZs",
  "If",
  "ImportValue",
  "Join",
  "Not",
  "And",
  "Or",
  "Select",
  "Split",
  "Sub",
] as const;

function longForm(name: string): string {
  return name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
}

/** Each tag on a scalar, a sequence and a mapping: `!Sub 'x'`, `!Sub [x, {...}]`, `!If [...]`. */
function tagsFor(name: string): (ScalarTag | CollectionTag)[] {
  const key = longForm(name);
  return [
    { tag: `!${name}`, identify: () => false, resolve: (value: string) => ({ [key]: value }) },
    {
      tag: `!${name}`,
      collection: "seq",
      identify: () => false,
      resolve: (seq) => ({ [key]: (seq as { toJSON(): unknown }).toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: "map",
      identify: () => false,
      resolve: (map) => ({ [key]: (map as { toJSON(): unknown }).toJSON() }),
    },
  ];
}

const CFN_TAGS: (ScalarTag | CollectionTag)[] = [
  ...["Ref", "Condition", ...FUNCTIONS].flatMap(tagsFor),
  // !GetAtt Resource.Attribute is the one short form whose scalar is split.
  {
    tag: "!GetAtt",
    identify: () => false,
    resolve: (value: string) => {
      const dot = value.indexOf(".");
      return { "Fn::GetAtt": [value.slice(0, dot), value.slice(dot + 1)] };
    },
  },
  {
    tag: "!GetAtt",
    collection: "seq",
    identify: () => false,
    resolve: (seq) => ({ "Fn::GetAtt": (seq as { toJSON(): unknown }).toJSON() }),
  },
];
