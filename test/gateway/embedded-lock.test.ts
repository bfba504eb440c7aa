import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, TEST_DB, type Tollgate } from "../helpers/tollgate";

describe("the embedded database", {
  skip: TEST_DB !== "pglite" && "only the embedded database has a lock",
}, () => {
  let first: Tollgate;

  before(async () => {
    first = await startTollgate(gatewayConfig({ openai: "http://127.0.0.1:9" }));
  });
  after(() => first?.stop());

  test("refuses a second process on the same data directory, which would lose writes", async () => {
    await assert.rejects(
      startTollgate(gatewayConfig({ openai: "http://127.0.0.1:9" }), {}, first),
      /Another Tollgate process \(pid \d+\) is using the embedded database in .+\. Run one process per data directory/,
    );
    const stillServing = await fetch(`${first.url}/api/ready`);
    assert.equal(stillServing.status, 200);
  });
});
