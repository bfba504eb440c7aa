import { createKey } from "@/lib/keys/create";
import { logger } from "@/lib/log";
import type { Runtime } from "@/lib/runtime";
import { countTenants, createTenant } from "./tenants";

/**
 * On the first start against an empty database, creates a demo tenant and key and prints the key
 * with a curl line that the built-in demo provider answers offline. This terminal message is the
 * one place besides the admin API's answer where a whole key is shown.
 */
export async function ensureDemoTenant(runtime: Runtime): Promise<void> {
  const { db } = runtime.database;
  if ((await countTenants(db)) > 0) return;
  const tenant = await createTenant(db, runtime.config, { name: "Demo" });
  const key = await createKey(db, tenant.id, "demo key");
  const demoModel = [...runtime.config.models.values()].find(
    (m) => runtime.config.providers.get(m.providerId)?.type === "demo",
  );
  const port = process.env.PORT ?? "3000";
  logger.info({ tenantId: tenant.id, keyId: key.id, prefix: key.prefix }, "demo tenant created");
  process.stdout.write(
    [
      "",
      "  Tollgate created a demo tenant. Its API key is shown this once:",
      "",
      `    ${key.key}`,
      "",
      "  Try it (answered offline by the built-in demo provider):",
      "",
      `    curl http://localhost:${port}/v1/chat/completions \\`,
      `      -H "Authorization: Bearer ${key.key}" -H "Content-Type: application/json" \\`,
      `      -d '{"model":"${demoModel?.id ?? "demo"}","messages":[{"role":"user","content":"Hello"}]}'`,
      "",
      "",
    ].join("\n"),
  );
}
