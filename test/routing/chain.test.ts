import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { loadConfig } from "@/lib/config/load";
import { modelChain } from "@/lib/routing/resolve";

describe("model chains of the shipped config", () => {
  const config = loadConfig(path.resolve("tollgate.config.yaml"));
  const ids = (tier: string, model: string) => modelChain(config, tier, model).map((m) => m.id);

  test("an implicit chain is the tier's other models, never the demo's canned answers", () => {
    assert.deepEqual(ids("free", "gpt-4o-mini"), ["gpt-4o-mini", "claude-3-5-haiku", "llama3.1"]);
  });

  test("an explicit chain is used as written", () => {
    assert.deepEqual(ids("pro", "gpt-4o"), [
      "gpt-4o",
      "gpt-4o-mini",
      "claude-haiku-4-5",
      "llama3.1",
    ]);
  });

  test("the demo model itself falls back to the tier's real models only if asked", () => {
    assert.deepEqual(ids("free", "demo"), ["demo", "gpt-4o-mini", "claude-3-5-haiku", "llama3.1"]);
  });
});
