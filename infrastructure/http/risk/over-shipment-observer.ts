import type { OverShipmentWatch } from '../../../application/risk/over-shipment';
import { BusinessRuleError } from '../../../domain/shared/errors';
import { actorOf, routeAccessOf } from '../auth/request-identity';
import type { FailureObserver } from '../errors/domain-exception.filter';

/**
 * Shipping or certifying more than a lot holds is refused by the lot decider (INSUFFICIENT_QUANTITY, 409)
 * and appends nothing. The exception filter shows each such refusal to the over-shipment watch (suspected
 * lot mixing, 混批), which raises a warning when the ministry's rule is met. Watching never changes the
 * answer: a failure of the watch is ignored.
 */
export function watchOverShipments(watch: OverShipmentWatch): FailureObserver {
  return ({ error, req }) => {
    if (!routeAccessOf(req)) return undefined;
    if (!(error instanceof BusinessRuleError) || error.code !== 'INSUFFICIENT_QUANTITY') return undefined;
    return watch.observe(error.details, actorOf(req), req.originalUrl).then(
      () => undefined,
      () => undefined,
    );
  };
}
