import { z } from "zod";
import { GatewayError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";

const ADMIN_BODY_LIMIT = 64 * 1024;
const name = z.string().trim().min(1).max(200);

export const createTenantInput = z.strictObject({ name, tier: z.string().min(1).optional() });

export const updateTenantInput = z.strictObject({
  tier: z.string().min(1).optional(),
  /** Dollars a month; null removes the hard cap; "tier" follows the tier's cap again. */
  monthlyBudgetUsd: z
    .union([z.number().min(0, "must be 0 or more (null removes the cap)"), z.literal("tier")], {
      error: 'must be a number of dollars, null (no cap) or "tier" (the tier\'s cap)',
    })
    .nullable()
    .optional(),
});

export const createKeyInput = z.strictObject({ name });

const perMinute = z
  .number()
  .int()
  .min(1, "must be 1 or more (null uses the tier's)")
  .nullable()
  .optional();

export const updateKeyInput = z.strictObject({
  name: name.optional(),
  requestsPerMinute: perMinute,
  tokensPerMinute: perMinute,
  monthlyBudgetUsd: z
    .number()
    .min(0, "must be 0 or more (null removes the cap)")
    .nullable()
    .optional(),
});

/** Reads and validates an admin JSON body, answering 400 with the offending field. */
export async function parseAdminBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.infer<T>> {
  const body = await readJsonBody(request, ADMIN_BODY_LIMIT);
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const param = issue.path.map(String).join(".") || null;
  const keys = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "";
  const message =
    issue.code === "unrecognized_keys"
      ? `Unknown field(s): ${keys}.`
      : `Invalid '${param ?? "body"}': ${issue.message}.`;
  throw new GatewayError("invalid_request", message, { param: param ?? (keys || null) });
}
