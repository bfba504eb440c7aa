import { expect, type Page, type TestInfo } from "@playwright/test";

export const PASSWORD = "correct horse battery";

/** Saves a full-page screenshot with the test results, named by project and page. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({
    path: `test-results/screenshots/${info.project.name}-${name}.png`,
    fullPage: true,
  });
}

/** Signs up through the form and lands on the overview. */
export async function signUp(page: Page, email: string, workspace: string): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("E2E Developer");
  await page.getByLabel("Workspace name").fill(workspace);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: workspace })).toBeVisible();
}

/** Creates a key on the keys page and returns the whole key, as shown once. */
export async function createKey(page: Page, name: string): Promise<string> {
  await page.goto("/dashboard/keys");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = page.getByTestId("secret-value");
  await expect(secret).toHaveText(/^tg_[0-9A-Za-z]{40}$/);
  return (await secret.textContent()) ?? "";
}
