// The dashboard in real headless Chromium against a 4-validator network: every view renders live data,
// the halt panel names the stopped validators and clears after their restart, an item timeline loads
// and a receipt verifies in the browser. Screenshots of each view go to test-artifacts/screenshots/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, CHROMIUM, launchBrowser } from './browser';
import { type NetworkUnderTest, startNetworkUnderTest } from './network-under-test';

const WEB = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(WEB, 'test-artifacts', 'screenshots');

let net: NetworkUnderTest;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const idOf = (name: string) => net.validators.find((v) => v.name === name)!.nodeId;
async function openView(view: string) {
  await page.click(`[data-testid="tab-${view}"]`);
  await page.waitForSelector(`[data-testid="${view}-view"]`);
}

beforeAll(async () => {
  if (!process.env.QM_E2E) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!existsSync(join(WEB, 'dist', 'index.html'))) throw new Error('build first: npm run build -w @qm/web');
  await mkdir(SHOTS, { recursive: true });
  net = await startNetworkUnderTest();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${net.url}/#network`);
});

/** The validators the halt and what-if tests stop: the third and fourth of the network under test. */
const third = () => net.validators[2]!.name;
const fourth = () => net.validators[3]!.name;

afterAll(async () => {
  await browser?.close();
  await net?.close();
});

// Only under vitest.e2e.config.ts (it sets QM_E2E): the root unit run's glob matches this file too.
describe.skipIf(!process.env.QM_E2E)('dashboard', () => {
  it('shows every validator synced, with live charts', async () => {
    await page.waitForSelector('[data-testid="network-view"]');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="validator-row"][data-state="synced"]').length === 4,
      null,
      { timeout: 15_000 },
    );
    expect(await page.locator('[data-testid="validator-row"]').count()).toBe(4);
    await page.waitForSelector('[data-testid="chart-interval"] polyline', { timeout: 10_000 });
    await expectText('[data-testid="live-indicator"]', /live/);
    await shot('network');
  });

  it('draws the quorum map with the intersection verdict', async () => {
    await openView('quorum');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="quorum-node"]').length === 4);
    const verdict = page.locator('[data-testid="intersection-verdict"]');
    expect(await verdict.getAttribute('data-verdict')).toBe('true');
    await page.locator('[data-testid="blocking-sets"] button').first().click();
    expect(await page.locator('[data-testid="quorum-map"] .highlight-ring').count()).toBe(2);
    await shot('quorum');
  });

  it('answers what-if questions in the browser', async () => {
    await openView('what-if');
    const row = (name: string) => page.locator(`[data-testid="whatif-row"][data-node="${idOf(name)}"]`);
    await row(third()).locator('[data-testid="mark-down"]').click();
    expect(await page.locator('[data-testid="whatif-halts"]').getAttribute('data-halts')).toBe('false');
    await row(fourth()).locator('[data-testid="mark-down"]').click();
    expect(await page.locator('[data-testid="whatif-halts"]').getAttribute('data-halts')).toBe('true');
    expect(await page.locator('[data-testid="whatif-intersection"]').getAttribute('data-intersects')).toBe(
      'true',
    );
    await row(third()).locator('[data-testid="mark-byzantine"]').click();
    await row(fourth()).locator('[data-testid="mark-byzantine"]').click();
    expect(await page.locator('[data-testid="whatif-intersection"]').getAttribute('data-intersects')).toBe(
      'false',
    );
    await shot('what-if');
  });

  it('names the stopped validators in the halt panel, and clears it after their restart', async () => {
    await openView('network');
    await net.stop([third(), fourth()]);
    await page.waitForSelector('[data-testid="halt-panel"]', { timeout: 20_000 });
    await page.waitForFunction(
      (ids) =>
        ids.every(
          (id) => document.querySelector(`[data-testid="halt-missing-node"][data-node="${id}"]`) !== null,
        ),
      [idOf(third()), idOf(fourth())],
      { timeout: 10_000 },
    );
    await expectText('[data-testid="halt-panel"]', new RegExp(third()));
    await expectText('[data-testid="halt-panel"]', new RegExp(fourth()));
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="validator-row"][data-state="unreachable"]').length === 2,
      null,
      { timeout: 10_000 },
    );
    await shot('halt');
    await net.start([third(), fourth()]);
    await page.waitForSelector('[data-testid="halt-panel"]', { state: 'detached', timeout: 20_000 });
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="validator-row"][data-state="synced"]').length === 4,
      null,
      { timeout: 30_000 },
    );
  });

  it('shows an item timeline and verifies a receipt with its proof steps', async () => {
    await openView('logistics');
    await page.fill('[data-testid="search-input"]', net.itemUii);
    await page.click('[data-testid="search-button"]');
    await page.waitForSelector('[data-testid="item-timeline"]');
    expect(await page.locator('[data-testid="timeline-entry"]').count()).toBeGreaterThanOrEqual(1);
    await page.fill('[data-testid="receipt-input"]', net.receiptTxHash);
    await page.waitForSelector('[data-testid="receipt-verified"]', { timeout: 10_000 });
    expect(await page.locator('[data-testid="proof-step"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="receipt-check"][data-status="fail"]').count()).toBe(0);
    await expectText('[data-testid="receipt-verified"]', /genesis header matches/);
    await page.waitForSelector('[data-testid="receipt-node-verdict"]');
    await page.setInputFiles('[data-testid="genesis-file"]', {
      name: 'genesis.json',
      mimeType: 'application/json',
      buffer: Buffer.from(net.genesisFile),
    });
    await expectText('[data-testid="genesis-network-id"]', /network [0-9a-f]{64}/);
    await expectText('[data-testid="receipt-verified"]', /as the loaded genesis file computes/);
    await shot('logistics');
  });

  it('searches stock by NSN and lists alerts', async () => {
    await page.fill('[data-testid="search-input"]', net.stockNsn);
    await page.click('[data-testid="search-button"]');
    await page.waitForSelector('[data-testid="stock-row"]');
    expect(await page.locator('[data-testid="alert-list"] [data-testid="alert"]').count()).toBeGreaterThan(0);
    await shot('logistics-stock');
    expect(pageErrors).toEqual([]);
  });
});

async function expectText(selector: string, re: RegExp) {
  await page.waitForFunction(
    ([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, re.source] as const,
    { timeout: 10_000 },
  );
}
