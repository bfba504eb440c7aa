import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { costNanoUsd } from "@/lib/pricing/cost";
import { nanoToUsdString, usdToNano } from "@/lib/pricing/units";

const gpt4o = {
  inputNanoUsdPerMTok: usdToNano(2.5),
  outputNanoUsdPerMTok: usdToNano(10),
  cacheReadNanoUsdPerMTok: usdToNano(1.25),
  cacheWriteNanoUsdPerMTok: usdToNano(2.5),
};

describe("exact cost in nano-dollars", () => {
  test("prices uncached input, cache reads, cache writes and output at their own rates", () => {
    const cost = costNanoUsd(
      { inputTokens: 600, cacheReadTokens: 400, cacheWriteTokens: 100, outputTokens: 500 },
      gpt4o,
    );
    // 600×2.5 + 400×1.25 + 100×2.5 + 500×10 = 7250 dollars per million tokens → $0.00725.
    assert.equal(cost, 7_250_000);
  });

  test("rounds up once per call, never down", () => {
    const mini = {
      ...gpt4o,
      inputNanoUsdPerMTok: usdToNano(0.15),
      outputNanoUsdPerMTok: usdToNano(0.6),
    };
    // 1 token at $0.15/M is 150 nano-dollars exactly; at $0.0000001/M a fraction rounds up to 1.
    assert.equal(
      costNanoUsd(
        { inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0 },
        mini,
      ),
      150,
    );
    const tiny = { ...mini, inputNanoUsdPerMTok: 1 };
    assert.equal(
      costNanoUsd(
        { inputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0 },
        tiny,
      ),
      1,
    );
  });

  test("stays exact past 2^53 intermediate products", () => {
    const opus = { ...gpt4o, outputNanoUsdPerMTok: usdToNano(75) };
    const cost = costNanoUsd(
      { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 200_000_001 },
      opus,
    );
    // 200,000,001 × 75e9 / 1e6 = 15,000,000,075,000 exactly.
    assert.equal(cost, 15_000_000_075_000);
  });

  test("converts dollars to nano-dollars and back without float noise", () => {
    assert.equal(usdToNano(0.15), 150_000_000);
    assert.equal(usdToNano(0.075), 75_000_000);
    assert.equal(nanoToUsdString(123), "0.000000123");
    assert.equal(nanoToUsdString(7_250_000), "0.00725");
    assert.equal(nanoToUsdString(10_000_000_000), "10");
  });
});
