/**
 * A request refused before any route sees it (its body, its encoding, its query string, its method), with
 * the HTTP status that names the problem: 413 too large, 415 unsupported charset or encoding, 400 malformed,
 * 405 a method the path does not take. The exception filter answers it as {error, message, details} like
 * every other failure.
 */
export class RequestRejected extends Error {
  constructor(
    readonly status: 400 | 405 | 413 | 415,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RequestRejected';
  }
}
