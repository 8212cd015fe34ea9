// Drives the dashboard like a user: graph → Silver asset → Materialize one partition → run succeeds → new row count.
// Usage: node dashboard.mjs <baseUrl> <screenshotDir> <asset> <partition>; prints one JSON line; exit code 0 only on success.
import { launchChromium } from './chromium.mjs';
import path from 'node:path';

const [baseUrl, shots, asset, partition] = process.argv.slice(2);
const browser = await launchChromium();
const result = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(30000);
  await page.goto(baseUrl);
  await page.locator('#asset-graph').waitFor();
  result.graphNodes = await page.locator('#asset-graph a.node').count();
  await page.screenshot({ path: path.join(shots, '1-graph.png'), fullPage: true });

  await page.locator(`#asset-graph a.node[data-asset="${asset}"]`).click();
  await page.waitForURL(`**/assets/${asset}`);
  result.statusBefore = await page.locator(`#partition-grid td[data-partition="${partition}"]`).getAttribute('data-status');
  await page.locator(`input[name="partition"][value="${partition}"]`).check();
  await page.screenshot({ path: path.join(shots, '2-asset-before.png'), fullPage: true });

  await page.getByRole('button', { name: 'Materialize chosen' }).click();
  await page.waitForURL('**/runs/*');
  result.runUrl = page.url();
  // The run page refreshes itself every 2 s while the run is going; read the status until it is final.
  const deadline = Date.now() + 60000;
  for (;;) {
    let status = null;
    try { status = await page.locator('#run-status').getAttribute('data-status', { timeout: 2000 }); } catch { /* mid-refresh */ }
    result.runStatus = status;
    if (['succeeded', 'failed', 'canceled'].includes(status)) break;
    if (Date.now() > deadline) throw new Error(`run still ${status} after 60 s`);
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: path.join(shots, '3-run.png'), fullPage: true });

  await page.locator(`#steps a[href="/assets/${asset}"]`).first().click();
  await page.waitForURL(`**/assets/${asset}`);
  result.statusAfter = await page.locator(`#partition-grid td[data-partition="${partition}"]`).getAttribute('data-status');
  await page.locator('#asset-tabs a', { hasText: 'Metadata' }).click();
  result.rowsOut = (await page.locator('#materializations td[data-key="rows_out"]').first().innerText()).trim();
  await page.screenshot({ path: path.join(shots, '4-asset-after.png'), fullPage: true });
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ ...result, error: String(error) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
