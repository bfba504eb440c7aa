import { z } from "zod";
import type { Db } from "@/db/client";
import type { GatewayConfig } from "@/lib/config/load";
import { hashPassword } from "./password";
import { createUserWithWorkspace } from "./users";

export const signUpInput = z.strictObject({
  name: z.string().trim().max(100).optional(),
  email: z.email("must be an email address").max(254),
  // 8 is NIST's minimum for user-chosen passwords; 200 bounds the hashing work per request.
  password: z.string().min(8, "must be at least 8 characters").max(200),
  workspace: z.string().trim().max(100).optional(),
});

/** Registers someone with email and password: a user, their workspace, and them as its owner. */
export async function signUp(db: Db, config: GatewayConfig, input: z.infer<typeof signUpInput>) {
  const passwordHash = await hashPassword(input.password);
  const { user, tenantId } = await createUserWithWorkspace(db, config, { ...input, passwordHash });
  return { userId: user.id, email: user.email, tenantId };
}
