// Unknown /v1 paths answer like unknown /api paths: 404 in the API's error shape.
export { DELETE, GET, PATCH, POST, PUT } from "@/app/api/[...path]/route";

export const dynamic = "force-dynamic";
