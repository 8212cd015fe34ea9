// Reads the data catalog at /docs like a newcomer: from the nav, to a model's columns and tests, along its lineage, into its SQL.
// Usage: node docs.mjs <baseUrl> <screenshotDir>; prints one JSON line; exit code 0 only on success.
import { launchChromium } from './chromium.mjs';
import path from 'node:path';

const [baseUrl, shots] = process.argv.slice(2);
const browser = await launchChromium();
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(30000);
  await page.goto(baseUrl);
  await page.locator('nav a[href="/docs"], a[href="/docs"]').first().click();
  await page.waitForURL('**/docs');
  result.title = (await page.locator('h1').first().innerText()).trim();
  result.lineageRows = await page.locator('h2:has-text("Lineage") + table tr').count() - 1;
  await page.screenshot({ path: path.join(shots, '1-docs.png'), fullPage: true });

  // From fact_rounds' row of the lineage table to the model it feeds.
  const factRounds = page.locator('#asset-gold-fact_rounds');
  result.factRoundsColumns = await factRounds.locator('h3:has-text("Columns") + table tr').count() - 1;
  result.roundIdTests = (await factRounds.locator('h3:has-text("Columns") + table tr:has(code:text-is("round_id")) td').nth(2).innerText()).trim();
  result.factRoundsReads = (await factRounds.locator('p:has-text("Reads")').innerText()).trim();
  result.checks = await factRounds.locator('h3:has-text("Tests and checks") + table tr').count() - 1;
  await page.locator('#asset-gold-fact_rounds a[href="#asset-gold-pace_summary_by_round"]').click();
  await page.waitForURL('**/docs#asset-gold-pace_summary_by_round');
  result.jumpedTo = (await page.locator('#asset-gold-pace_summary_by_round h2').innerText()).trim();
  // The browser scrolls to the anchor: the model's heading ends up in the viewport.
  result.jumpedInView = await page.waitForFunction(() => {
    const r = document.querySelector('#asset-gold-pace_summary_by_round h2').getBoundingClientRect();
    return window.scrollY > 0 && r.bottom > 0 && r.top < window.innerHeight;
  }, null, { timeout: 5000 }).then(() => true, () => false);

  const target = page.locator('#asset-gold-pace_summary_by_round');
  await target.locator('details summary').click();
  result.sql = (await target.locator('details pre').innerText()).trim();
  await page.screenshot({ path: path.join(shots, '2-model.png') });
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ ...result, error: String(error) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
