import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { formatUsd } from "@/lib/dashboard/format";
import { createKey, PASSWORD, shot, signUp } from "./support/dashboard";

test("sign up, use a key from an app, watch spend, revoke it, upgrade the tier", async ({
  page,
  context,
  baseURL,
}, info) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, `dev-${Date.now()}@example.com`, "Acme");
  await expect(page.getByText("No calls in the last 30 days")).toBeVisible();
  await shot(page, info, "overview-empty");

  // The whole key is shown once, with a warning, and the copy button puts it on the clipboard.
  const shown = await createKey(page, "e2e app");
  await expect(page.getByText("It will not be shown again")).toBeVisible();
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  const key = await page.evaluate(() => navigator.clipboard.readText());
  expect(key).toBe(shown);
  await shot(page, info, "keys-created");
  await page.getByRole("button", { name: "I have saved it" }).click();
  await expect(page.getByTestId("key-row-e2e app")).toContainText(key.slice(0, 11));

  const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: key, maxRetries: 0 });
  const answer = await client.chat.completions.create({
    model: "demo",
    messages: [{ role: "user", content: "Hello from the browser test" }],
  });
  expect(answer.model).toBe("demo");
  const usage = (await (
    await fetch(`${baseURL}/v1/usage`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as { spendNanoUsd: number; requests: number };
  expect(usage.requests).toBe(1);
  expect(usage.spendNanoUsd).toBeGreaterThan(0);

  // The overview shows the exact spend (sub-cent, never $0.00) and today's point on the chart.
  await page.goto("/dashboard");
  await expect(page.getByTestId("month-spend")).toHaveText(formatUsd(usage.spendNanoUsd));
  expect(formatUsd(usage.spendNanoUsd)).not.toBe("$0.00");
  await expect(page.getByTestId("requests-today")).toHaveText("1");
  const today = new Date().toISOString().slice(0, 10);
  const chart = page.getByTestId("daily-spend-chart");
  await expect(chart.locator(`tr[data-day="${today}"]`)).toContainText(
    formatUsd(usage.spendNanoUsd),
  );
  await expect(chart.locator(".recharts-bar-rectangle path")).toHaveCount(1);
  await shot(page, info, "overview");

  await page.goto("/dashboard/usage");
  await expect(page.getByTestId("requests-table")).toContainText("e2e app");
  await expect(page.getByTestId("requests-table")).toContainText(formatUsd(usage.spendNanoUsd));
  await shot(page, info, "usage");

  // Revoking asks first, then the key fails on its next call.
  await page.goto("/dashboard/keys");
  await page.getByTestId("key-row-e2e app").getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByTestId("key-row-e2e app")).toContainText("Revoked");
  await shot(page, info, "keys-revoked");
  const refused = await client.models.list().catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);

  // Upgrading applies at once (no Stripe): the pages show pro's limits and the API applies them.
  const second = new OpenAI({
    baseURL: `${baseURL}/v1`,
    apiKey: await createKey(page, "after upgrade"),
    maxRetries: 0,
  });
  const before = (await second.models.list()).data.map((m) => m.id);
  expect(before).not.toContain("gpt-4o");
  await page.goto("/dashboard/billing");
  await shot(page, info, "billing");
  await page.getByRole("button", { name: "Upgrade to pro" }).click();
  await expect(page.getByText("You are now on the pro tier")).toBeVisible();
  await expect(page.getByTestId("tier-pro")).toHaveAttribute("aria-current", "true");
  await expect(page.getByText("free → pro in the dashboard")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page.getByTestId("rate-limits")).toContainText("300");
  await expect(page.getByTestId("rate-limits")).toContainText("400,000");
  await expect(page.getByText("of $10.00 cap")).toBeVisible();
  await shot(page, info, "overview-pro");
  expect((await second.models.list()).data.map((m) => m.id)).toContain("gpt-4o");
  const proUsage = (await (
    await fetch(`${baseURL}/v1/usage`, { headers: { authorization: `Bearer ${second.apiKey}` } })
  ).json()) as { tier: string; budgetUsd: number };
  expect(proUsage).toMatchObject({ tier: "pro", budgetUsd: 10 });

  for (const name of ["alerts", "members"]) {
    await page.goto(`/dashboard/${name}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await shot(page, info, name);
  }

  // Signing out and in again comes back to the same workspace.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await shot(page, info, "signin");
});

test("an operator sees every tenant and can change one", async ({ page }, info) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("ops@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "All tenants" })).toBeVisible();
  await expect(page.getByTestId("tenants-table")).toContainText("Acme");
  await shot(page, info, "admin");
  await page.getByTestId("tenants-table").getByRole("link", { name: "Acme" }).first().click();
  await page.getByLabel("Monthly cap (USD)").fill("25");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("It applies to the tenant's next request")).toBeVisible();
  await expect(page.getByText("of $25.00")).toBeVisible();
  await shot(page, info, "admin-tenant");
  // Back to the tier's cap: the tenant's own $25 goes, and with it the choice to drop it.
  await page.getByLabel("Use the tier's cap instead of this tenant's own").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("of $25.00")).toHaveCount(0);
  await expect(page.getByLabel("Use the tier's cap instead of this tenant's own")).toHaveCount(0);
});

test("an owner invites someone, who joins, and then removes them", async ({ page, browser }) => {
  test.setTimeout(60_000);
  const stamp = Date.now();
  const invitee = `invitee-${stamp}@example.com`;
  await signUp(page, `owner-${stamp}@example.com`, "Globex");
  await page.goto("/dashboard/members");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = (await page.locator("code").filter({ hasText: "/invite/" }).textContent()) ?? "";

  const other = await browser.newContext();
  const guest = await other.newPage();
  await signUp(guest, invitee, "Initech");
  await guest.goto(link);
  await guest.getByRole("button", { name: "Join workspace" }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expect(guest.getByRole("heading", { level: 1, name: "Globex" })).toBeVisible();

  await page.reload();
  const row = page.getByRole("listitem").filter({ hasText: invitee });
  await expect(row).toContainText("member");
  await row.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: invitee })).toHaveCount(0);
  // The removed member's next request no longer reaches the workspace.
  await guest.goto("/dashboard");
  await expect(guest.getByRole("heading", { level: 1, name: "Initech" })).toBeVisible();
  await other.close();
});
