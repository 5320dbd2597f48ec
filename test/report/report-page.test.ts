// The HTML report in a real headless browser (see test/support/browser.ts): it loads without console errors
// and draws its charts.
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKpis } from '../../workflows/tools/simulation/kpis';
import { writeReports } from '../../workflows/tools/simulation/report';
import { runSimulation } from '../../workflows/tools/simulation/run-simulation';
import { launchBrowser } from '../support/browser';
import { dynamoEndpoint } from '../support/dynamo';

let browser: Browser;
let reportFile: string;

beforeAll(async () => {
  const options = { accounts: 12, days: 60, pack: POLICY_PACKS.cn, seed: 2, dynamoEndpoint: await dynamoEndpoint() };
  const champion = await runSimulation(options);
  const challenger = await runSimulation({
    ...options,
    strategy: {
      ...(await import('../../functions/domain/strategy')).DEFAULT_STRATEGY,
      id: 'challenger',
      payWithinDays: 3,
    },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'report-page-'));
  const files = await writeReports(dir, [
    { label: 'champion', run: champion, kpis: computeKpis(champion) },
    { label: 'challenger', run: challenger, kpis: computeKpis(challenger) },
  ]);
  reportFile = files[0]!;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => browser?.close());

describe('report.html', () => {
  it('loads with no console errors and draws every chart', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`file://${reportFile}`);
    expect(await page.title()).toBe('Collections portfolio simulation');
    const charts = page.locator('svg.chart');
    // Roll-forward, collections curve, contacts by hour, and an outcome mix per strategy.
    expect(await charts.count()).toBe(5);
    for (let i = 0; i < 5; i += 1) {
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(await charts.nth(i).locator('rect.bar, polyline.line').count()).toBeGreaterThan(0);
    }
    // Every label lies inside its picture: none is cut off at an edge.
    const cut = await page.$$eval('svg.chart', (svgs) =>
      svgs.flatMap((svg) => {
        const { width, height } = (svg as unknown as { viewBox: { baseVal: { width: number; height: number } } })
          .viewBox.baseVal;
        return [...svg.querySelectorAll('text')]
          .filter((text) => {
            const box = text.getBBox();
            return box.x < 0 || box.y < 0 || box.x + box.width > width + 0.5 || box.y + box.height > height + 0.5;
          })
          .map((text) => text.textContent);
      }),
    );
    expect(cut).toEqual([]);
    expect(await page.locator('table').first().locator('th').nth(2).textContent()).toBe('challenger');
    expect(errors).toEqual([]);
  });
});
