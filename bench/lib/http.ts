import * as http from 'node:http';

/** A small keep-alive JSON client: the driver's own requests (batches, queries) — load tests use autocannon. */
export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  withHeaders(headers: Record<string, string>): HttpClient {
    return new HttpClient(this.baseUrl, { ...this.headers, ...headers });
  }

  get<T = any>(path: string): Promise<{ status: number; body: T }> {
    return this.request('GET', path);
  }

  post<T = any>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return this.request('POST', path, body);
  }

  /**
   * A kept-alive socket the server closed just as it was reused fails with ECONNRESET before any answer (the
   * server's keep-alive timeout racing the next request; four of this session's runs ended on it). Such a
   * request never reached the server, so it is sent again on a new socket — Node's documented pattern
   * (`req.reusedSocket`); batches carry commandIds, so even a resend the server had seen would be deduplicated.
   */
  request<T>(method: string, path: string, body?: unknown, attempt = 0): Promise<{ status: number; body: T }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const url = new URL(path, this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: { ...this.headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
            } catch {
              resolve({ status: res.statusCode ?? 0, body: text as unknown as T });
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (req.reusedSocket && attempt < 2 && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) resolve(this.request<T>(method, path, body, attempt + 1));
        else reject(err);
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
