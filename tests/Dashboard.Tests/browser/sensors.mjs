// Drives the Sensors page like a user: read a sensor's state, cursor and ticks, turn it off, read the state again.
// Usage: node sensors.mjs <baseUrl> <screenshotDir> <sensor>; prints one JSON line; exit code 0 only on success.
import { launchChromium } from './chromium.mjs';
import path from 'node:path';

const [baseUrl, shots, sensor] = process.argv.slice(2);
const browser = await launchChromium();
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(30000);
  await page.goto(baseUrl);
  await page.locator('nav a[href="/sensors"], a[href="/sensors"]').first().click();
  await page.waitForURL('**/sensors');
  const card = page.locator(`div.card[data-sensor="${sensor}"]`);
  result.stateBefore = (await card.locator('h2 .badge').innerText()).trim();
  result.cursor = (await card.locator('code.cursor').innerText()).trim();
  result.tickStatuses = await card.locator('table.ticks tr td:nth-child(2) .badge').allInnerTexts();
  result.runLinks = await card.locator('table.ticks a[href^="/runs/"]').count();
  await page.screenshot({ path: path.join(shots, '1-sensors.png'), fullPage: true });

  await card.getByRole('button', { name: 'Turn off' }).click();
  await page.waitForURL('**/sensors');
  result.stateAfter = (await page.locator(`div.card[data-sensor="${sensor}"] h2 .badge`).innerText()).trim();
  await page.screenshot({ path: path.join(shots, '2-sensors-off.png'), fullPage: true });
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ ...result, error: String(error) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
