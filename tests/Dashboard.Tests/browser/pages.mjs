// Reads every page a user sees after a run with one failed partition and its re-execution: graph, catalog, asset tabs, run, runs,
// API reference. Usage: node pages.mjs <baseUrl> <screenshotDir> <runId> <childRunId>; prints one JSON line; exit 0 only on success.
import { launchChromium } from './chromium.mjs';
import path from 'node:path';

const [baseUrl, shots, runId, childRunId] = process.argv.slice(2);
const browser = await launchChromium();
const result = {};
const offsite = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30000);
  // Nothing a page loads may come from another server.
  page.on('request', r => { const u = new URL(r.url()); if (!['127.0.0.1', 'localhost'].includes(u.hostname) && u.protocol.startsWith('http')) offsite.push(r.url()); });
  const shot = name => page.screenshot({ path: path.join(shots, name), fullPage: true });

  await page.goto(baseUrl);
  await page.locator('#asset-graph').waitFor();
  result.signInLink = await page.locator('#sign-in').innerText();
  result.columns = await page.$$eval('#asset-graph a.node', ns => Object.fromEntries(ns.map(n => [n.dataset.asset, Number(n.dataset.column)])));
  result.backwardEdges = await page.$$eval('#asset-graph path.edge', (es, cols) => es.filter(e => cols[e.dataset.from] >= cols[e.dataset.to]).length, result.columns);
  result.silverNode = await page.locator('#asset-graph a.node[data-asset="silver/toy"]').textContent();
  await shot('1-graph.png');

  // Search the graph, then pick two nodes by their corner button: the Materialize form below has exactly those ticked.
  await page.locator('#graph-search input[name="q"]').fill('gold');
  await page.locator('#graph-search button').click();
  await page.waitForURL('**/?q=gold');
  result.graphMatches = (await page.locator('#graph-matches').innerText()).trim();
  result.graphDimmed = await page.$$eval('#asset-graph a.node.dim', ns => ns.map(n => n.dataset.asset).sort());
  await page.locator('#asset-graph a.pick[data-pick="gold/toy_summary"]').click();
  await page.waitForURL('**select=gold%2Ftoy_summary');
  await page.locator('#asset-graph a.pick[data-pick="silver/toy"]').click();
  await page.waitForURL('**select=silver%2Ftoy');
  result.picked = await page.$$eval('#asset-graph a.pick.picked', ps => ps.map(p => p.dataset.pick).sort());
  result.pickedCount = (await page.locator('#picked-count').innerText()).trim();
  result.pickedBoxes = await page.$$eval('#graph-materialize input[name="asset"]:checked', bs => bs.map(b => b.value).sort());
  await shot('1b-graph-picked.png');

  await page.goto(baseUrl + 'catalog');
  result.catalogAll = await page.locator('#catalog tr[data-asset]').count();
  await page.locator('#catalog-filters input[name="q"]').fill('toy');
  await page.locator('#catalog-filters select[name="status"]').selectOption('failed');
  await page.locator('#catalog-filters button').click();
  await page.waitForURL('**/catalog?**');
  result.catalogFailed = await page.$$eval('#catalog tr[data-asset]', rs => rs.map(r => r.dataset.asset));
  result.catalogSilverCounts = (await page.locator('#catalog tr[data-asset="silver/toy"] td').nth(5).innerText()).trim();
  await shot('2-catalog.png');

  await page.goto(baseUrl + 'assets/silver/toy');
  result.tabs = await page.$$eval('#asset-tabs a', as => as.map(a => a.textContent));
  result.partitionCounts = (await page.locator('#partition-counts').innerText()).trim();
  await shot('3-asset-overview.png');
  await page.locator('#asset-tabs a', { hasText: 'Partitions' }).click();
  result.seriesMetric = await page.locator('#series-chart').getAttribute('data-metric');
  result.seriesCount = Number(await page.locator('#series-chart').getAttribute('data-series'));
  await shot('4-asset-partitions.png');
  await page.locator('#series-chooser select[name="series"]').selectOption('total');
  await page.locator('#series-chooser button').click();
  await page.waitForURL('**series=total**');
  result.seriesTotal = Number(await page.locator('#series-chart').getAttribute('data-series'));
  await page.locator('#asset-tabs a', { hasText: 'Metadata' }).click();
  result.rowsOut = (await page.locator('#materializations td[data-key="rows_out"]').first().innerText()).trim();
  result.metadataHeight = await page.evaluate(() => document.body.scrollHeight);
  result.metadataOpenDocuments = await page.locator('#materializations details[open]').count();
  await shot('5-asset-metadata.png');

  await page.goto(baseUrl + 'runs/' + runId);
  await page.locator('#timeline').waitFor();
  result.ganttPartitions = await page.$$eval('#timeline text.partition', ts => ts.map(t => t.textContent));
  // A label that starts left of the chart (x < 0) is cut, as "ronze/rounds_raw[…" was.
  result.ganttCutLabels = await page.$$eval('#timeline text', ts => ts.filter(t => t.getBBox().x < 0).length);
  result.ganttAttempts = await page.locator('#timeline rect.attempt').count();
  // With two workers and four partitions, some steps wait for a worker: their queued time is drawn before the attempt.
  result.ganttQueued = await page.$$eval('#timeline rect.queued title', ts => ts.map(t => t.textContent));
  result.childRuns = await page.locator('#child-runs a').allInnerTexts();
  result.reportLink = await page.locator('#steps td.error a.report').first().getAttribute('href');
  result.failedAttempts = (await page.locator('#steps tr[data-step="silver/toy[course_id=beta,ingest_date=2025-06-02]"] td.attempts').innerText()).trim();
  await shot('6-run.png');

  await page.goto(baseUrl + 'runs');
  result.childLineage = (await page.locator(`#runs tr[data-run="${childRunId}"] td.lineage`).innerText()).trim();
  result.parentLineage = (await page.locator(`#runs tr[data-run="${runId}"] td.lineage`).innerText()).trim();
  result.pager = (await page.locator('#pager').innerText()).trim();
  await shot('7-runs.png');
  await page.locator('#runs-tabs a', { hasText: 'Backfills' }).click();
  await page.waitForURL('**/backfills');
  result.backfillsHeading = (await page.locator('h1').innerText()).trim();
  result.backfillsActiveTab = (await page.locator('#runs-tabs a.active').innerText()).trim();
  await shot('7b-backfills.png');

  await page.goto(baseUrl + 'api-reference');
  await page.getByText('Recent runs, newest first', { exact: false }).first().waitFor({ timeout: 30000 });
  result.apiTitle = await page.title();
  await shot('8-api-reference.png');
  result.offsite = offsite;
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ ...result, offsite, error: String(error) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
