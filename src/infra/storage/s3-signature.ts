import { createHash, createHmac } from 'node:crypto';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface S3Request {
  method: string;
  /** The path, already percent-encoded as it goes on the wire (`/bucket/key`). */
  path: string;
  /** Header names in any case; `host` and `x-amz-content-sha256` must be among them. */
  headers: Record<string, string>;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** SHA-256 of a body, in hex, as `x-amz-content-sha256` carries it. */
export function payloadHash(body: Buffer | string): string {
  return sha256(body);
}

/** An instant as SigV4 writes it: `20130524T000000Z`. */
export function amzDate(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Percent-encodes each segment of a key the way SigV4 and S3 expect (everything but A–Z a–z 0–9 - _ . ~). */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * The `Authorization` header of an AWS Signature Version 4 request to S3 (no query string), as
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html describes it.
 * Every header given is signed. Node's crypto only: no SDK.
 */
export function signS3(request: S3Request, credentials: S3Credentials): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonical = [
    request.method,
    request.path,
    '',
    ...headers.map(([name, value]) => `${name}:${value}`),
    '',
    signedHeaders,
    request.headers['x-amz-content-sha256'] ?? request.headers['X-Amz-Content-Sha256'],
  ].join('\n');
  const day = request.amzDate.slice(0, 8);
  const scope = `${day}/${credentials.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', request.amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), credentials.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
}
