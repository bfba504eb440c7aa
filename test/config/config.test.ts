import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { stringify } from "yaml";
import { loadConfig } from "@/lib/config/load";
import { gatewayConfig } from "../helpers/configs";

function write(doc: unknown): string {
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), "tollgate-config-")),
    "tollgate.config.yaml",
  );
  writeFileSync(file, typeof doc === "string" ? doc : stringify(doc));
  return file;
}

const base = () => gatewayConfig({ openai: "http://127.0.0.1:1" });

describe("configuration file", () => {
  test("the shipped tollgate.config.yaml is valid and prices every model", () => {
    const config = loadConfig(path.resolve("tollgate.config.yaml"));
    assert.deepEqual([...config.tiers.keys()], ["free", "pro", "enterprise"]);
    assert.equal(config.tiers.get("free")?.monthlyBudgetNanoUsd, 100_000_000);
    assert.equal(config.tiers.get("enterprise")?.monthlyBudgetNanoUsd, null);
    assert.equal(config.models.get("gpt-4o")?.price.inputNanoUsdPerMTok, 2_500_000_000);
    assert.equal(config.models.get("llama3.1")?.price.outputNanoUsdPerMTok, 0);
  });

  test("fills prices and context windows the file leaves out from the bundled price table", () => {
    const config = loadConfig(write(base()));
    const mini = config.models.get("gpt-4o-mini");
    assert.deepEqual(mini?.price, {
      inputNanoUsdPerMTok: 150_000_000,
      outputNanoUsdPerMTok: 600_000_000,
      cacheReadNanoUsdPerMTok: 75_000_000,
      cacheWriteNanoUsdPerMTok: 150_000_000,
    });
    assert.equal(mini?.contextWindow, 128_000);
  });

  const refusals: Array<{
    name: string;
    edit: (c: ReturnType<typeof base>) => unknown;
    message: string;
  }> = [
    {
      name: "a model with no known price",
      edit: (c) => ({ ...c, models: [...c.models, { id: "mystery", provider: "openai" }] }),
      message: 'models[3].inputPerMillionUsd: no known price for "mystery"',
    },
    {
      name: "a tier naming an unknown model",
      edit: (c) => ({ ...c, tiers: [{ ...c.tiers[0], models: ["demo", "nope"] }] }),
      message: 'tiers[0].models[1]: unknown model "nope"',
    },
    {
      name: "a wrongly typed field",
      edit: (c) => ({ ...c, tiers: [{ ...c.tiers[0], requestsPerMinute: "lots" }] }),
      message: "tiers[0].requestsPerMinute: Invalid input: expected number, received string",
    },
    {
      name: "an unknown provider type",
      edit: (c) => ({ ...c, providers: [{ id: "x", type: "cohere" }] }),
      message: "providers[0].type: Invalid option",
    },
    {
      name: "a cycle of fallback chains",
      edit: (c) => ({
        ...c,
        tiers: [{ ...c.tiers[0], fallbacks: { demo: ["gpt-4o-mini"], "gpt-4o-mini": ["demo"] } }],
      }),
      message: "tiers[0].fallbacks: fallback chains form a cycle: demo -> gpt-4o-mini -> demo",
    },
    { name: "a file that is not YAML", edit: () => "providers: [\n", message: "(yaml)" },
    {
      name: "a misspelt field",
      edit: (c) => ({ ...c, defaultTeir: "pro" }),
      message: '(root): Unrecognized key: "defaultTeir"',
    },
  ];

  for (const r of refusals) {
    test(`refuses ${r.name}, naming the file and the field`, () => {
      const file = write(r.edit(base()));
      assert.throws(
        () => loadConfig(file),
        (err: Error) =>
          err.message.startsWith(`Invalid config ${file}: `) && err.message.includes(r.message),
      );
    });
  }
});
