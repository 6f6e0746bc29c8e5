import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { BROWSER_UA } from '../support/http.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Merchant hosts under a public suffix of two labels (co.uk), all mapped to 127.0.0.1 in the browser. */
export const UK_SITE = 'example.co.uk';

/**
 * Real headless Chromium; a machine without it fails the suite with what to install, it never skips.
 * Every launch runs on a fresh, throwaway profile: Playwright creates a new user-data-dir per launch (and
 * refuses a --user-data-dir argument), so no cookie or storage survives from one run to the next.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The snippet's browser tests need Chromium at ${CHROMIUM}: run "apt-get update && apt-get install -y chromium" (.ci/run installs it).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
      `--host-resolver-rules=MAP *.${UK_SITE} 127.0.0.1`,
    ],
  });
}

export interface VisitorOptions {
  cookiesRefused?: boolean;
  storageRefused?: boolean;
}

/**
 * One visitor: a browser profile of their own (cookies, storage). Everything the pages log as an error, and
 * every uncaught exception, lands in `problems`, which the suite expects to stay empty.
 */
export class Visitor {
  readonly problems: string[] = [];
  /** Every URL any of this visitor's pages requested. */
  readonly requests: string[] = [];

  private constructor(readonly context: BrowserContext) {}

  static async create(browser: Browser, options: VisitorOptions = {}): Promise<Visitor> {
    // A browser user agent: isbot counts HeadlessChrome as a bot, and bots get no click id.
    const context = await browser.newContext({ userAgent: BROWSER_UA });
    // (Init scripts are strings, not functions: tsx would decorate a function's source with helpers the page lacks.)
    if (options.cookiesRefused) {
      // What a browser that refuses this site's cookies looks like to a script: writes vanish, reads are empty.
      await context.addInitScript(`Object.defineProperty(document, 'cookie', { configurable: true, get: () => '', set: () => {} });`);
    }
    if (options.storageRefused) {
      // What blocked site data looks like to a script: touching localStorage throws a SecurityError.
      await context.addInitScript(
        `Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('site data is blocked', 'SecurityError') } });`,
      );
    }
    return new Visitor(context);
  }

  /** Opens `url` (following redirects) and waits until the snippet has installed window.synaptyx. */
  async open(url: string, options: { waitForSnippet?: boolean } = {}): Promise<Page> {
    const page = await this.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console: ${message.text()} (${page.url()})`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message} (${page.url()})`));
    page.on('request', (request) => this.requests.push(request.url()));
    await page.goto(url);
    if (options.waitForSnippet !== false) {
      await page.waitForFunction(() => typeof (window as any).synaptyx?.clickId === 'function', undefined, { timeout: 5_000 });
    }
    return page;
  }

  /** The `_syx_cid` cookies this visitor holds for `url`. */
  async clickCookies(url: string) {
    return (await this.context.cookies(url)).filter((cookie) => cookie.name === '_syx_cid');
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/** The browser for the enclosing describe(), and visitors that are checked for page errors after each test. */
export function useBrowser(): { visitor(options?: VisitorOptions): Promise<Visitor> } {
  let browser: Browser | null = null;
  let visitors: Visitor[] = [];
  before(async function () {
    this.timeout(60_000);
    browser = await launchChromium();
  });
  afterEach(async () => {
    const opened = visitors;
    visitors = [];
    await Promise.all(opened.map((visitor) => visitor.close()));
    expect(opened.flatMap((visitor) => visitor.problems), 'errors in the pages').to.deep.equal([]);
  });
  after(() => browser?.close());
  return {
    async visitor(options) {
      if (!browser) throw new Error('the browser is launched in the before hook');
      const visitor = await Visitor.create(browser, options);
      visitors.push(visitor);
      return visitor;
    },
  };
}
