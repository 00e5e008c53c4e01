import { formatTraceCode, lotSequence, lotSequenceStreamId, nextSequence } from '../../domain/lots';
import { entitySegmentOfEid } from '../../domain/registration';
import type { DecisionContext } from '../../domain/shared/actor';
import type { Ledger, StreamWrite } from '../ledger/ledger';

/**
 * Mints the next trace code of an entity for a production date and the write that claims its number
 * (`lotseq-{eid}-{YYMMDD}`, appended with the expected revision: two concurrent lots never share one).
 */
export async function mintTraceCode(
  ledger: Ledger,
  secret: string,
  args: { eid: string; regionCode: string; productionDate: string },
  ctx: DecisionContext,
): Promise<{ traceCode: string; write: StreamWrite }> {
  // The state is the last assigned number, carried by the last event: no need to read the whole stream.
  const stream = await ledger.loadLatest(lotSequenceStreamId(args.eid, args.productionDate), lotSequence.decider);
  const traceCode = formatTraceCode(
    {
      regionCode: args.regionCode,
      productionDate: args.productionDate,
      entitySegment: entitySegmentOfEid(args.eid),
      sequence: nextSequence(stream.state),
    },
    secret,
  );
  const events = lotSequence.decide({ type: 'AssignLotNumber', data: { traceCode } }, stream.state, ctx);
  return { traceCode, write: { stream, events } };
}
