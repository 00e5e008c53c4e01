import { decider, sampleStreamId, type SampleState } from '../../domain/sampling';
import type { Ledger, LoadedStream } from '../ledger/ledger';
import { loadExisting } from '../quality/decide-on-stream';

export function loadSample(ledger: Ledger, sampleId: string): Promise<LoadedStream<SampleState>> {
  return loadExisting(ledger, sampleStreamId(sampleId), decider, 'sample', sampleId);
}
