import { requireAdmin } from "@/lib/admin/auth";
import { createKeyInput, parseAdminBody } from "@/lib/admin/inputs";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { createKey } from "@/lib/keys/create";

export const dynamic = "force-dynamic";

export const POST = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  const input = await parseAdminBody(request, createKeyInput);
  return Response.json(await createKey(runtime.database.db, id, input.name), { status: 201 });
});

const otherMethod = methodNotAllowed("POST");

export { otherMethod as GET, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
