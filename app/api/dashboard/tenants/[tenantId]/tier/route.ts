import { z } from "zod";
import { parseAdminBody } from "@/lib/admin/inputs";
import { tenantRoute } from "@/lib/auth/route";
import { requestTierChange } from "@/lib/billing/change-tier";
import { stripeBilling } from "@/lib/billing/stripe";

export const dynamic = "force-dynamic";

const input = z.strictObject({ tier: z.string().min(1).max(100) });

/** An owner upgrades or downgrades: applied now, or a Stripe Checkout URL to go to. */
export const POST = tenantRoute("owner", async (request, { runtime, user }, { tenantId }) => {
  const { tier } = await parseAdminBody(request, input);
  const baseUrl = process.env.NEXTAUTH_URL?.replace(/\/$/, "") ?? new URL(request.url).origin;
  const result = await requestTierChange(
    {
      db: runtime.database.db,
      config: runtime.config,
      keys: runtime.keys,
      billing: stripeBilling(),
    },
    { tenantId, tier, email: user.email, baseUrl },
  );
  return Response.json(result);
});
