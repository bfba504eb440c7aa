import { handleChatCompletion } from "@/lib/gateway/chat";

export const dynamic = "force-dynamic";

export const POST = (request: Request) => handleChatCompletion(request);
