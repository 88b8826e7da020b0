import { source as axeSource } from 'axe-core';
import { Browser, BrowserContext, chromium, Page, Response } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium (scripts/chromium.sh installs it with apt-get) through
 * playwright-core; no browser is ever downloaded. Flags keep it from calling home.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One accessibility problem axe-core found, with the elements (CSS selectors) that fail it. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeResultsLite {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/**
 * Runs axe-core on the page as it is now and returns its serious and critical violations (none
 * means the page passes). axe's source is evaluated over the DevTools protocol, which the page's
 * Content-Security-Policy does not govern: no inline script tag, no CSP bypass.
 */
export async function axeCheck(page: Page): Promise<AxeViolation[]> {
  const present = await page.evaluate('typeof window.axe === "object"');
  if (!present) await page.evaluate(axeSource);
  const results = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as AxeResultsLite;
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: String(v.impact),
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' >>> ')),
    }));
}

/** What a page must not do: break its Content-Security-Policy, or call a host other than the app's. */
export interface PageWatch {
  cspViolations: string[];
  thirdPartyRequests: string[];
  /** Forgets what was seen so far (before the next page). */
  reset: () => void;
}

/**
 * Watches every page of a context: console messages about Content-Security-Policy violations
 * (Chromium reports each blocked script, style, frame or connection there), and every request to
 * an origin not in `allowedOrigins` (data: and blob: URLs are local, so allowed).
 */
export function watchContext(context: BrowserContext, allowedOrigins: string[]): PageWatch {
  const watch: PageWatch = {
    cspViolations: [],
    thirdPartyRequests: [],
    reset: () => {
      watch.cspViolations.length = 0;
      watch.thirdPartyRequests.length = 0;
    },
  };
  const onPage = (page: Page) => {
    page.on('console', (message) => {
      if (/content[- ]security[- ]policy/i.test(message.text())) watch.cspViolations.push(`${page.url()}: ${message.text()}`);
    });
  };
  context.pages().forEach(onPage);
  context.on('page', onPage);
  context.on('request', (request) => {
    const url = request.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (!allowedOrigins.includes(new URL(url).origin)) watch.thirdPartyRequests.push(url);
  });
  return watch;
}

export interface PageWeight {
  /** Bytes on the wire (headers + encoded body) of every response of the page load. */
  total: number;
  byUrl: Record<string, number>;
}

/**
 * Loads `url` in `page` and sums the transfer size of every response until the network is idle:
 * response headers plus the body as sent (compressed when the server compresses; Chromium asks
 * for gzip, deflate, br and zstd).
 */
export async function pageWeight(page: Page, url: string): Promise<PageWeight> {
  const responses: Response[] = [];
  const onResponse = (response: Response) => {
    responses.push(response);
  };
  page.on('response', onResponse);
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
  } finally {
    page.off('response', onResponse);
  }
  const byUrl: Record<string, number> = {};
  let total = 0;
  for (const response of responses) {
    const sizes = await response.request().sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    byUrl[response.url()] = (byUrl[response.url()] ?? 0) + bytes;
    total += bytes;
  }
  return { total, byUrl };
}

/** How a page load fetched each URL: from the network, or from the browser's cache. */
export interface LoadSources {
  network: string[];
  cache: string[];
}

/**
 * Loads `url` in `page` and tells, for every request, whether Chromium went to the network or
 * served it from its memory or disk cache (read from the DevTools protocol's Network events).
 */
export async function loadSources(page: Page, url: string): Promise<LoadSources> {
  const cdp = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  const cached = new Set<string>();
  const fetched = new Set<string>();
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    cached.add(e.requestId);
  });
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) cached.add(e.requestId);
    else fetched.add(e.requestId);
  });
  await cdp.send('Network.enable');
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
  } finally {
    await cdp.detach();
  }
  const sources: LoadSources = { network: [], cache: [] };
  for (const [id, requested] of urls) {
    if (cached.has(id)) sources.cache.push(requested);
    else if (fetched.has(id)) sources.network.push(requested);
    else sources.network.push(requested); // sent but not answered yet: it went to the network
  }
  return sources;
}
