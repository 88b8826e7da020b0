import { amzDate, encodeKeyPath, payloadHash, S3Credentials, signS3 } from './s3-signature';
import { MEDIA_KEY, MediaStorage } from './media-storage';

export interface S3StorageOptions extends S3Credentials {
  /** `https://s3.eu-central-1.amazonaws.com`, a MinIO or R2 endpoint. */
  endpoint: string;
  bucket: string;
  /** Where the bucket's files are publicly readable (a CDN or the bucket's public address). */
  publicUrl: string;
}

/**
 * An S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Backblaze B2, Garage…), spoken to with
 * plain `fetch` and Signature Version 4 (s3-signature.ts): path-style URLs
 * (`{endpoint}/{bucket}/{key}`), PUT with `Cache-Control: public, max-age=31536000, immutable`,
 * GET and DELETE. Files are read by visitors from `publicUrl`, never through Nida.
 */
export class S3Storage extends MediaStorage {
  private readonly endpoint: URL;
  private readonly publicUrl: string;

  constructor(private readonly options: S3StorageOptions) {
    super();
    this.endpoint = new URL(options.endpoint);
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const response = await this.send('PUT', key, body, { 'content-type': contentType, 'cache-control': 'public, max-age=31536000, immutable' });
    if (!response.ok) throw new Error(`S3 PUT ${key}: HTTP ${response.status}`);
  }

  async get(key: string): Promise<Buffer | null> {
    const response = await this.send('GET', key);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`S3 GET ${key}: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const response = await this.send('DELETE', key);
    if (!response.ok && response.status !== 404) throw new Error(`S3 DELETE ${key}: HTTP ${response.status}`);
  }

  url(key: string): string {
    return `${this.publicUrl}/${encodeKeyPath(key)}`;
  }

  private async send(method: string, key: string, body?: Buffer, extra: Record<string, string> = {}): Promise<Response> {
    if (!MEDIA_KEY.test(key)) throw new Error(`Not a media key: ${JSON.stringify(key)}`);
    const base = this.endpoint.pathname.replace(/\/+$/, '');
    const path = `${base}/${encodeKeyPath(this.options.bucket)}/${encodeKeyPath(key)}`;
    const date = amzDate(new Date());
    const headers: Record<string, string> = {
      host: this.endpoint.host,
      'x-amz-content-sha256': payloadHash(body ?? ''),
      'x-amz-date': date,
      ...extra,
    };
    headers.authorization = signS3({ method, path, headers, amzDate: date }, this.options);
    const { host: _host, ...sent } = headers;
    return fetch(`${this.endpoint.origin}${path}`, { method, headers: sent, body: body ? new Uint8Array(body) : undefined, signal: AbortSignal.timeout(30_000) });
  }
}
