import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";

/** The schemas of OpenAI's spec that an OpenAI-compatible gateway must produce. */
export type SchemaName =
  | "CreateChatCompletionResponse"
  | "CreateChatCompletionStreamResponse"
  | "ErrorResponse"
  | "ListModelsResponse";

const SPEC_PATH = join(import.meta.dirname, "..", "fixtures", "spec", "openai-openapi.yaml");
const SPEC_ID = "https://tollgate.test/openai-openapi.json";

let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * OpenAPI 3.1 is JSON Schema 2020-12 except for the 3.0 leftover `nullable: true`, which this
 * spec still puts next to `type` and next to `$ref` (where Ajv would refuse it). Rewrite it into
 * plain JSON Schema so that null is accepted exactly where the spec means it.
 */
function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // A boolean `nullable` is the keyword; an object one would be a property named "nullable".
    if (key !== "nullable" || typeof value !== "boolean") out[key] = rewriteNullable(value);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes("null")) out.type = [...out.type, "null"];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function getAjv(): Ajv2020 {
  if (ajv) return ajv;
  const spec: unknown = parse(readFileSync(SPEC_PATH, "utf8"));
  if (!isRecord(spec) || !isRecord(spec.components) || !isRecord(spec.components.schemas)) {
    throw new Error(`${SPEC_PATH} has no components.schemas`);
  }
  // strict: false tolerates the OpenAPI-only keywords (discriminator, example, x-*); formats such
  // as "unixtime" are documentation, not constraints, so they are not checked.
  const instance = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  // Registering only `components` under an $id keeps every `#/components/schemas/…` ref resolvable
  // while Ajv compiles just the schemas that are reached, not the whole 3 MB document.
  instance.addSchema(
    { $id: SPEC_ID, components: { schemas: rewriteNullable(spec.components.schemas) } },
    undefined,
    undefined,
    false,
  );
  ajv = instance;
  return instance;
}

function getValidator(name: SchemaName): ValidateFunction {
  const cached = validators.get(name);
  if (cached) return cached;
  const validate = getAjv().compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
  validators.set(name, validate);
  return validate;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(root)" : error.instancePath;
  const params = Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : "";
  return `${where} ${error.message ?? "is invalid"}${params}`;
}

/** Validates `value` against a schema of OpenAI's spec; returns readable errors, empty if valid. */
export function validateSchema(name: SchemaName, value: unknown): string[] {
  const validate = getValidator(name);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describe);
}

/** Fails the current node:test assertion when `value` does not match the named spec schema. */
export function assertValid(name: SchemaName, value: unknown): void {
  const errors = validateSchema(name, value);
  assert.deepEqual(errors, [], `value does not match ${name}:\n${errors.join("\n")}`);
}
