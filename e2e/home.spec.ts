import { expect, test } from "@playwright/test";

test("the home page says what Tollgate is and lists the API", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Tollgate" })).toBeVisible();
  await expect(page.getByText("/v1/chat/completions")).toBeVisible();
  await page.screenshot({ path: "test-results/home.png", fullPage: true });
});
