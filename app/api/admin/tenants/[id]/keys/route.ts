import { requireAdmin } from "@/lib/admin/auth";
import { createKeyInput, parseAdminBody } from "@/lib/admin/inputs";
import { apiHandler } from "@/lib/http/handler";
import { createKey } from "@/lib/keys/create";

export const dynamic = "force-dynamic";

export const POST = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  const input = await parseAdminBody(request, createKeyInput);
  return Response.json(await createKey(runtime.database.db, id, input.name), { status: 201 });
});
