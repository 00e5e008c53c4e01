import type { ArgumentsHost } from '@nestjs/common';
import { DomainExceptionFilter, type FailureObserver } from '../../../../infrastructure/http/errors/domain-exception.filter';
import { NotFoundError } from '../../../../domain/shared/errors';

/** A response that records what was sent, and a host around it. */
function exchange() {
  const sent: { status?: number; body?: unknown; type?: string } = {};
  const res = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(type: string) {
      sent.type = type;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
  };
  const req = { method: 'GET', originalUrl: '/x' };
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
  return { sent, host };
}

describe('DomainExceptionFilter', () => {
  it('answers at once when no observer takes the failure', () => {
    const { sent, host } = exchange();
    const seen: number[] = [];
    const answered = new DomainExceptionFilter(() => undefined, [({ status }) => void seen.push(status)]).catch(new NotFoundError('lot', 'X'), host);
    expect(answered).toBeUndefined();
    expect(sent).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' }, type: 'application/json' });
    expect(seen).toEqual([404]);
  });

  it('runs the observers one after the other and answers only after the last', async () => {
    const { sent, host } = exchange();
    const order: string[] = [];
    const slow = (name: string): FailureObserver => () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push(name);
          resolve();
        }, 5),
      );
    const answered = new DomainExceptionFilter(() => undefined, [slow('first'), () => undefined, slow('second')]).catch(new NotFoundError('lot', 'X'), host);
    expect(sent.status).toBeUndefined();
    // The filter hands back the promise of its answer: await that, not a clock.
    await answered;
    expect(order).toEqual(['first', 'second']);
    expect(sent.status).toBe(404);
  });

  it('fails the request with a 500 when an observer fails (the entry it should have written is missing)', async () => {
    const { sent, host } = exchange();
    const internal: unknown[] = [];
    const boom = new Error('disk full');
    await new DomainExceptionFilter((err) => internal.push(err), [() => Promise.reject(boom)]).catch(new NotFoundError('lot', 'X'), host);
    expect(sent).toMatchObject({ status: 500, body: { error: 'INTERNAL' } });
    expect(internal).toEqual([boom]);
  });
});
