import { operatorRoute } from "@/lib/auth/route";
import { revokeKey } from "@/lib/keys/revoke";

export const dynamic = "force-dynamic";

/** An operator revokes any tenant's key. */
export const DELETE = operatorRoute<{ keyId: string }>(async (_request, { runtime }, { keyId }) => {
  await revokeKey(runtime.database.db, runtime.keys, keyId);
  return new Response(null, { status: 204 });
});
