import { source as axeSource } from 'axe-core';
import { spawn } from 'node:child_process';
import { Browser, BrowserContext, chromium, LaunchOptions, Page, Response } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium (scripts/chromium.sh installs it with apt-get) through
 * playwright-core; no browser is ever downloaded. Flags keep it from calling home.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const LAUNCH_OPTIONS: LaunchOptions = {
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
};

/** Runs in its own Node process: `chromium.launch` behind a WebSocket, until its stdin closes. */
const SERVER_SCRIPT = `
const { chromium } = require(${JSON.stringify(require.resolve('playwright-core'))});
chromium
  .launchServer({ ...${JSON.stringify(LAUNCH_OPTIONS)}, host: '127.0.0.1', handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false })
  .then((server) => {
    process.stdout.write(server.wsEndpoint() + '\\n');
    const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
    process.stdin.on('end', stop);
    process.stdin.resume();
    process.on('SIGTERM', stop);
  }, (error) => {
    console.error(error);
    process.exit(1);
  });
`;

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser and waits for its process to end. */
  close: () => Promise<void>;
}

/**
 * Chromium, driven from the test. playwright-core's driver runs in a child Node process and the
 * test connects to it: run inside Jest's module sandbox, the driver never finishes a click in a
 * cross-site iframe (it stalls after "scrolling into view"; the same click works from plain Node),
 * and the embed test clicks in a partner site's iframe. Same binary, same flags as chromium.launch.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const child = spawn(process.execPath, ['-e', SERVER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const wsEndpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start within 30 s:\n${output}`)), 30000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = /^(ws:\/\/\S+)$/m.exec(output);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Chromium driver exited (${code}):\n${output}`));
    });
  });
  const browser = await chromium.connect(wsEndpoint);
  return {
    browser,
    close: async () => {
      await browser.close();
      child.stdin.end();
      await exited;
    },
  };
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
 * In a context made with `javaScriptEnabled: false` the page's timers never fire (Chromium runs
 * no task it schedules), so `axe.run`, which waits on setTimeout, would never settle. For such a
 * page setTimeout is made a microtask, for the audit only: the page runs no script of its own.
 */
const MICROTASK_TIMERS = `window.setTimeout = function (fn) {
  var args = Array.prototype.slice.call(arguments, 2);
  Promise.resolve().then(function () { fn.apply(null, args); });
  return 0;
};
window.clearTimeout = function () {};`;

/** How long an audit may take before it fails, rather than hang until the test's timeout. */
const AXE_TIMEOUT_MS = 20000;

/**
 * Runs axe-core on the page as it is now and returns its serious and critical violations (none
 * means the page passes). axe's source is evaluated over the DevTools protocol, which the page's
 * Content-Security-Policy does not govern: no inline script tag, no CSP bypass. A page of a
 * context without JavaScript needs `{ javaScriptEnabled: false }` (see MICROTASK_TIMERS).
 */
export async function axeCheck(page: Page, options: { javaScriptEnabled?: boolean } = {}): Promise<AxeViolation[]> {
  const present = await page.evaluate('typeof window.axe === "object"');
  if (!present) await page.evaluate(axeSource);
  if (options.javaScriptEnabled === false) await page.evaluate(MICROTASK_TIMERS);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`axe did not finish within ${AXE_TIMEOUT_MS} ms on ${page.url()} (JavaScript off in this context? pass { javaScriptEnabled: false })`)),
      AXE_TIMEOUT_MS,
    );
  });
  const results = (await Promise.race([page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })'), timedOut]).finally(() => clearTimeout(timer))) as AxeResultsLite;
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
