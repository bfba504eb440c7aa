import { listModels } from "@/lib/gateway/models";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";

export const dynamic = "force-dynamic";

export const GET = apiHandler(listModels);

const otherMethod = methodNotAllowed("GET");

export { otherMethod as POST, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
