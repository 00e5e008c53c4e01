import { hashChain, type UnhashedChain } from '../../application/ledger/chain-hasher';

/**
 * A hashing worker's task (piscina): the hashes of some independent chains of a batch. The very function
 * the main thread uses (hashChain → computeEventHash), so both paths write the same bytes.
 */
export default function hashChains(chains: UnhashedChain[]): string[][] {
  return chains.map(hashChain);
}
