import { ThrottledErrorLog } from '../../../../infrastructure/bullmq/throttled-error-log';

describe('ThrottledErrorLog (connection errors while Redis is down)', () => {
  function given() {
    let now = 1_000_000;
    const lines: string[] = [];
    const log = new ThrottledErrorLog((line) => lines.push(line), 30_000, () => now);
    return { log, lines, advance: (ms: number) => (now += ms) };
  }

  it('writes the first occurrence and holds back repeats within the interval', () => {
    const { log, lines, advance } = given();
    log.error('connect ECONNREFUSED');
    for (let i = 0; i < 50; i++) {
      advance(200);
      log.error('connect ECONNREFUSED');
    }
    expect(lines).toEqual(['connect ECONNREFUSED']);
  });

  it('after the interval writes one line counting what it held back', () => {
    const { log, lines, advance } = given();
    log.error('connect ECONNREFUSED');
    advance(10_000);
    log.error('connect ECONNREFUSED');
    log.error('connect ECONNREFUSED');
    advance(20_000);
    log.error('connect ECONNREFUSED');
    expect(lines).toEqual(['connect ECONNREFUSED', 'connect ECONNREFUSED (2 more like it in the last 30 s)']);
  });

  it('throttles each message on its own', () => {
    const { log, lines, advance } = given();
    log.error('queue: ECONNREFUSED');
    advance(1);
    log.error('worker: ECONNREFUSED');
    log.error('queue: ECONNREFUSED');
    expect(lines).toEqual(['queue: ECONNREFUSED', 'worker: ECONNREFUSED']);
  });
});
