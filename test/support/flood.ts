import { Agent, request as httpRequest } from 'node:http';

/** One answer, as the client got it: status, the headers that are the same for every request, and the body bytes. */
export interface FloodAnswer {
  status: number;
  /** Headers without those that differ per request by nature (date, request id). */
  headers: string;
  body: string;
}

/**
 * Sends `count` JSON POSTs to one path on 127.0.0.1:`port` over `concurrency` kept-alive
 * connections, as fast as the server answers; `requestOf(i)` gives each body and extra headers.
 */
export async function flood(
  port: number,
  path: string,
  count: number,
  requestOf: (i: number) => { body: unknown; headers?: Record<string, string> },
  concurrency = 16,
): Promise<FloodAnswer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const answers: FloodAnswer[] = new Array<FloodAnswer>(count);
  let next = 0;
  const one = (i: number) =>
    new Promise<FloodAnswer>((resolve, reject) => {
      const { body, headers = {} } = requestOf(i);
      const data = Buffer.from(JSON.stringify(body));
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const kept = Object.entries(res.headers)
              .filter(([name]) => !['date', 'x-request-id'].includes(name))
              .sort(([a], [b]) => a.localeCompare(b));
            resolve({ status: res.statusCode ?? 0, headers: JSON.stringify(kept), body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  const worker = async () => {
    while (next < count) {
      const i = next++;
      answers[i] = await one(i);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return answers;
}
