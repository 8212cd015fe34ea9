// Reads Silver's fix_in_section check and its rate on the asset page like a user: the Overview's latest checks, the
// check's own metadata, and the rate in the Metadata tab's latest materialization.
// Usage: node fix_in_section.mjs <baseUrl> <screenshotDir> <asset>; prints one JSON line; exit code 0 only on success.
import { launchChromium } from './chromium.mjs';
import path from 'node:path';

const [baseUrl, shots, asset] = process.argv.slice(2);
const browser = await launchChromium();
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(30000);
  await page.goto(new URL('/assets/' + asset, baseUrl).toString());
  const row = page.locator('#latest-checks tr[data-check="fix_in_section"]');
  result.rows = await row.count();
  result.result = await row.first().getAttribute('data-result');
  result.partition = (await row.first().locator('td:nth-child(4)').innerText()).trim();
  await row.first().locator('details summary').click();
  result.sections = (await row.first().locator('td[data-key="sections"]').innerText()).trim();
  result.noPolygon = (await row.first().locator('td[data-key="no_polygon"]').innerText()).trim();
  await page.screenshot({ path: path.join(shots, '1-silver-overview.png'), fullPage: true });

  await page.getByRole('link', { name: 'Metadata', exact: true }).first().click();
  await page.waitForURL('**tab=metadata');
  result.rate = (await page.locator('#materializations tr').nth(1).locator('td[data-key="fix_in_section_rate"]').innerText()).trim();
  await page.screenshot({ path: path.join(shots, '2-silver-metadata.png'), fullPage: true });
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ ...result, error: String(error) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
