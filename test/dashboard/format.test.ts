import assert from "node:assert/strict";
import { test } from "node:test";
import { formatUsd } from "@/lib/dashboard/format";

test("money under a cent keeps two significant digits and never reads $0.00", () => {
  assert.equal(formatUsd(0), "$0.00");
  assert.equal(formatUsd(1), "$0.000000001");
  assert.equal(formatUsd(120_000), "$0.00012");
  assert.equal(formatUsd(123_456), "$0.00012");
  assert.equal(formatUsd(9_999_999), "$0.0099");
  assert.equal(formatUsd(-5_000), "-$0.000005");
});

test("money from a cent up is dollars and cents with separators", () => {
  assert.equal(formatUsd(10_000_000), "$0.01");
  assert.equal(formatUsd(100_000_000), "$0.10");
  assert.equal(formatUsd(123_456_789_012), "$123.46");
  assert.equal(formatUsd(1_234_560_000_000), "$1,234.56");
});
