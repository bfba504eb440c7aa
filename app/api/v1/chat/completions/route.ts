import { handleChatCompletion } from "@/lib/gateway/chat";
import { methodNotAllowed } from "@/lib/http/method";

export const dynamic = "force-dynamic";

export const POST = (request: Request) => handleChatCompletion(request);

const otherMethod = methodNotAllowed("POST");

export { otherMethod as GET, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
