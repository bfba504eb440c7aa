export const dynamic = "force-dynamic";

/** Liveness: the process answers. */
export const GET = () => Response.json({ status: "ok" });
