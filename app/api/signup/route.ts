import { parseAdminBody } from "@/lib/admin/inputs";
import { signUp, signUpInput } from "@/lib/auth/sign-up";
import { throttleSignUp } from "@/lib/auth/throttle";
import { apiHandler } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Creates an account and its workspace; the browser then signs in through next-auth. */
export const POST = apiHandler(async (request, { runtime }) => {
  await throttleSignUp(runtime.store, runtime.config, request);
  const input = await parseAdminBody(request, signUpInput);
  const account = await signUp(runtime.database.db, runtime.config, input);
  return Response.json(account, { status: 201 });
});
