import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../snippet/browser.js';
import { ROOT } from './processes.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Where the browser tests leave a screenshot of every page they check (git-ignored; look at them). */
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * A person at the dashboard in Chromium: every console error (a CSP violation is one), page error and failed
 * asset lands in `problems`, which the suite expects to stay empty.
 */
export class DashboardBrowser {
  readonly problems: string[] = [];

  private constructor(readonly context: BrowserContext) {}

  static async create(browser: Browser, baseUrl: string, options: { userAgent?: string } = {}): Promise<DashboardBrowser> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const person = new DashboardBrowser(context);
    context.on('page', (page) => person.watch(page));
    return person;
  }

  private watch(page: Page): void {
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console: ${message.text()} (${page.url()})`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message} (${page.url()})`));
    page.on('response', (response) => {
      if (response.url().includes('/assets/') && response.status() >= 400) this.problems.push(`asset ${response.url()} → ${response.status()}`);
    });
  }

  async page(): Promise<Page> {
    return this.context.newPage();
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/**
 * Checks the page a person is looking at: axe-core finds no serious or critical violation, nothing overflows
 * sideways at 390 px, and a screenshot at 1280 and at 390 px wide is saved as `<name>-1280.png` / `<name>-390.png`.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  const violations = await axeViolations(page);
  expect(violations, `accessibility of ${name}`).to.deep.equal([]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: 1280, height: 900 });
  writeFileSync(join(SCREENSHOTS, `${name}-1280.png`), await page.screenshot({ fullPage: true }));
  await page.setViewportSize({ width: 390, height: 844 });
  // The chart follows its box on the next frame (ResizeObserver); a loaded machine takes longer than one.
  await page.waitForFunction(() => [...document.querySelectorAll('.uplot')].every((chart) => chart.getBoundingClientRect().right <= document.documentElement.clientWidth), undefined, { timeout: 5_000 }).catch(() => {});
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  // What sticks out, named so the failure says where to look (inside a scrolling table is fine: it scrolls).
  const culprits = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !element.closest('.table-wrap'))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}.${[...element.classList].join('.')} "${(element.textContent ?? '').trim().slice(0, 40)}"`),
  );
  expect(overflow, `${name} is wider than a 390 px screen by ${overflow} px: ${culprits.join(', ')}`).to.be.at.most(0);
  expect(await axeViolations(page), `accessibility of ${name} at 390 px`).to.deep.equal([]);
  writeFileSync(join(SCREENSHOTS, `${name}-390.png`), await page.screenshot({ fullPage: true }));
  await page.setViewportSize(size);
}

/** axe-core run in the page (through the DevTools protocol, so the page's CSP, which allows no inline script, holds). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5) }));
}

/** The browser for the enclosing describe(); people opened with it are checked for page problems after each test. */
export function useDashboardBrowser(baseUrl: () => string): { person(options?: { userAgent?: string }): Promise<DashboardBrowser> } {
  let browser: Browser | null = null;
  let people: DashboardBrowser[] = [];
  before(async function () {
    this.timeout(60_000);
    browser = await launchChromium();
  });
  afterEach(async () => {
    const opened = people;
    people = [];
    await Promise.all(opened.map((person) => person.close()));
    expect(opened.flatMap((person) => person.problems), 'errors in the pages').to.deep.equal([]);
  });
  after(() => browser?.close());
  return {
    async person(options) {
      if (!browser) throw new Error('the browser is launched in the before hook');
      const person = await DashboardBrowser.create(browser, baseUrl(), options);
      people.push(person);
      return person;
    },
  };
}
