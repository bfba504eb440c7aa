export const dynamic = "force-dynamic";

/**
 * Liveness: the process answers. It checks nothing else on purpose: a database or store outage
 * should take the instance out of the load balancer (/api/ready), not get it restarted.
 */
export const GET = () => Response.json({ status: "ok" });
