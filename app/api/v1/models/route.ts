import { listModels } from "@/lib/gateway/models";
import { apiHandler } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

export const GET = apiHandler(listModels);
