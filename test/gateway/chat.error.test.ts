import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { assertValid } from "../helpers/openapi";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

const user = [{ role: "user", content: "hi" }];

/** Each bad request, the status it gets and the whole error body. None may reach the provider. */
const CASES: Array<{
  name: string;
  body: string | object;
  status: number;
  error: object;
  auth?: string;
}> = [
  {
    name: "malformed JSON",
    body: '{"model": "gpt-4o",',
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_json",
      param: null,
      message:
        "We could not parse the JSON body of your request (Expected double-quoted property name in JSON at position 19). Send a JSON object with Content-Type: application/json.",
    },
  },
  {
    name: "JSON nested deeper than any real request",
    body: `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"metadata":${"[".repeat(100)}1${"]".repeat(100)}}`,
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_json",
      param: null,
      message:
        "We could not parse the JSON body of your request (it nests more than 64 levels deep). Send a JSON object with Content-Type: application/json.",
    },
  },
  {
    name: "a JSON array instead of an object",
    body: "[]",
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: null,
      message: "The request body must be a JSON object.",
    },
  },
  {
    name: "missing model",
    body: { messages: user },
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "model",
      message: "Missing required parameter: 'model'.",
    },
  },
  {
    name: "messages of the wrong type",
    body: { model: "gpt-4o", messages: "hi" },
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "messages",
      message: "Invalid type for 'messages': expected an array, but got a string instead.",
    },
  },
  {
    name: "empty messages",
    body: { model: "gpt-4o", messages: [] },
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "messages",
      message: "Invalid 'messages': empty array. Expected an array with minimum length 1.",
    },
  },
  {
    name: "an unknown role",
    body: { model: "gpt-4o", messages: [{ role: "robot", content: "x" }] },
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "messages[0].role",
      message:
        "Invalid value for 'messages[0].role': \"robot\". Supported values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.",
    },
  },
  {
    name: "negative max_tokens",
    body: { model: "gpt-4o", messages: user, max_tokens: -5 },
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "max_tokens",
      message: "Invalid 'max_tokens': -5. Expected a value >= 1.",
    },
  },
  {
    name: "max_completion_tokens as a string",
    body: { model: "gpt-4o", messages: user, max_completion_tokens: "10" },
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "max_completion_tokens",
      message:
        "Invalid type for 'max_completion_tokens': expected a number, but got a string instead.",
    },
  },
  {
    name: "stream that is not a boolean",
    body: { model: "gpt-4o", messages: user, stream: "yes" },
    status: 400,
    error: {
      type: "invalid_request_error",
      code: "invalid_request",
      param: "stream",
      message: "Invalid type for 'stream': expected a boolean, but got a string instead.",
    },
  },
  {
    name: "an unknown model",
    body: { model: "gpt-9", messages: user },
    status: 404,
    error: {
      type: "invalid_request_error",
      code: "model_not_found",
      param: "model",
      message:
        "The model 'gpt-9' does not exist or you do not have access to it. GET /v1/models lists the models your key may use.",
    },
  },
  {
    name: "a model outside the tier",
    body: { model: "gpt-4o", messages: user },
    auth: "free",
    status: 403,
    error: {
      type: "permission_error",
      code: "model_not_allowed",
      param: "model",
      message:
        "The model 'gpt-4o' is not available on the 'free' tier (available: demo, gpt-4o-mini). Upgrade the tier to use it.",
    },
  },
  {
    name: "a body over the size limit",
    body: { model: "gpt-4o", messages: [{ role: "user", content: "x".repeat(3000) }] },
    status: 413,
    error: {
      type: "invalid_request_error",
      code: "request_too_large",
      param: null,
      message:
        "Request body is larger than the limit of 2048 bytes. Send a smaller request (fewer or shorter messages, smaller images).",
    },
  },
  {
    name: "no API key",
    body: { model: "gpt-4o", messages: user },
    auth: "none",
    status: 401,
    error: {
      type: "invalid_request_error",
      code: "invalid_api_key",
      param: null,
      message:
        "You didn't provide an API key. Pass a Tollgate key (tg_…) as 'Authorization: Bearer <key>'; keys are issued in the dashboard or through the admin API.",
    },
  },
  {
    name: "a malformed key",
    body: { model: "gpt-4o", messages: user },
    auth: "Bearer sk-not-a-tollgate-key",
    status: 401,
    error: {
      type: "invalid_request_error",
      code: "invalid_api_key",
      param: null,
      message:
        "Incorrect API key provided. Pass a Tollgate key (tg_…) as 'Authorization: Bearer <key>'; keys are issued in the dashboard or through the admin API.",
    },
  },
  {
    name: "a well-formed key that does not exist",
    body: { model: "gpt-4o", messages: user },
    auth: `Bearer tg_${"A".repeat(40)}`,
    status: 401,
    error: {
      type: "invalid_request_error",
      code: "invalid_api_key",
      param: null,
      message:
        "Incorrect API key provided. Pass a Tollgate key (tg_…) as 'Authorization: Bearer <key>'; keys are issued in the dashboard or through the admin API.",
    },
  },
];

describe("bad requests get OpenAI's error shape and never reach a provider", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;
  let proKey: string;
  let freeKey: string;

  before(async () => {
    fake = await startFakeOpenAI();
    const config = { ...gatewayConfig({ openai: fake.url }), server: { maxBodyBytes: 2048 } };
    gateway = await startTollgate(config);
    proKey = (await gateway.createTenantWithKey("pro")).key;
    freeKey = (await gateway.createTenantWithKey("free")).key;
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  for (const c of CASES) {
    test(`refuses ${c.name} with ${c.status}`, async () => {
      const authorization =
        c.auth === "none"
          ? undefined
          : c.auth === "free"
            ? `Bearer ${freeKey}`
            : (c.auth ?? `Bearer ${proKey}`);
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization ? { authorization } : {}),
        },
        body: typeof c.body === "string" ? c.body : JSON.stringify(c.body),
      });
      const body = await res.json();
      assert.equal(res.status, c.status);
      assert.deepEqual(body, { error: c.error });
      assertValid("ErrorResponse", body);
      assert.match(res.headers.get("x-request-id") ?? "", /^req_/);
      assert.equal(fake.requests.length, 0);
    });
  }

  test("a method a route does not serve gets 405 in the API's error shape", async () => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${proKey}` },
    });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "POST");
    assert.deepEqual(await res.json(), {
      error: {
        message: "GET is not supported on /v1/chat/completions. Use POST.",
        type: "invalid_request_error",
        param: null,
        code: "method_not_allowed",
      },
    });
  });

  test("an unknown API path gets 404 in the API's error shape", async () => {
    const res = await fetch(`${gateway.url}/v1/nothing`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), {
      error: {
        message: "No API route at GET /v1/nothing. See the README for the endpoints.",
        type: "invalid_request_error",
        param: null,
        code: "not_found",
      },
    });
  });
});
