import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** The flags the browser tests use: no sandbox (containers), nothing that calls home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Whether an executable Chromium is at `path`. */
export function chromiumInstalled(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A page to print: self-contained HTML (every request it would make is refused), as a PDF or a PNG of a viewport. */
export type ChromiumPrint =
  | { kind: 'pdf'; html: string; loadTimeoutMs: number; printTimeoutMs: number }
  | { kind: 'png'; html: string; width: number; height: number; loadTimeoutMs: number };

/**
 * The printing process's script (plain JavaScript, run with `node -e`, so it is the same under
 * ts-node, Jest and the built app): reads one ChromiumPrint as JSON on stdin, launches Chromium
 * through playwright-core, prints, writes the bytes to stdout and exits; an error goes to stderr
 * with exit code 1.
 */
const CHILD_SCRIPT = `
const input = [];
process.stdin.on('data', (c) => input.push(c));
process.stdin.on('end', async () => {
  let browser;
  try {
    const job = JSON.parse(Buffer.concat(input).toString('utf8'));
    const { chromium } = require(process.env.NIDA_PLAYWRIGHT);
    browser = await chromium.launch({ executablePath: job.executablePath, args: job.args, timeout: 30000 });
    const page = await browser.newPage(job.kind === 'png'
      ? { viewport: { width: job.width, height: job.height }, deviceScaleFactor: 1, javaScriptEnabled: false }
      : { javaScriptEnabled: false });
    await page.route('**/*', (route) => route.abort());
    await page.setContent(job.html, { waitUntil: 'load', timeout: job.loadTimeoutMs });
    const bytes = job.kind === 'png'
      ? await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: job.width, height: job.height } })
      : await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, timeout: job.printTimeoutMs });
    await browser.close();
    process.stdout.write(bytes, () => process.exit(0));
  } catch (error) {
    if (browser) await browser.close().catch(() => undefined);
    process.stderr.write(String((error && error.message) || error).slice(0, 2000));
    process.exit(1);
  }
});
`;

/**
 * Prints a page with a fresh Chromium (Debian's, at `path`) through playwright-core, **in a child
 * Node process** that ends with the print: share cards and dossiers are rare, and neither
 * playwright-core (about 50 MB of code once loaded, which a process never gives back) nor the
 * browser's driver stays in the api or worker process that asked. Refuses after `timeoutMs`
 * (the child is stopped, and playwright-core closes its browser).
 */
export function printWithChromium(path: string, job: ChromiumPrint, timeoutMs = 180_000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD_SCRIPT], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '', NIDA_PLAYWRIGHT: require.resolve('playwright-core') },
    });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => {
      // SIGTERM first: playwright-core closes its browser on it; SIGKILL if that hangs.
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      reject(new Error(`Chromium print timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-2000)));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`Chromium print failed (exit ${code}): ${err.trim() || 'no message'}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify({ ...job, executablePath: path, args: CHROMIUM_ARGS }));
  });
}
