import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, regionalRecord } from '../access';
import { caseStreamId, decider, type CaseSubject, type OwnCaseSource, type UnregisteredParty } from '../../domain/enforcement';
import { NotFoundError, ValidationError } from '../../domain/shared/errors';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { READ_MODELS, type ReadModels } from '../ports/read-models';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

/** Who the case is against: a registered entity by its id, or a party found on site that is not registered. */
export type OwnCaseSubject =
  | { entityId: string }
  | { unregistered: { name: string; regionCode: string; address: string } & Partial<Record<Exclude<keyof UnregisteredParty, 'address'>, string>> };

export interface OpenOwnCaseInput {
  source: OwnCaseSource;
  ref?: string;
  subject: OwnCaseSubject;
  product?: string;
  traceCodes?: string[];
  summary: string;
}

export class OpenOwnCaseCommand extends LedgerCommand<OpenOwnCaseInput> {}

/**
 * 自行立案: an enforcement body (or a county administration and above) opens a case itself — from what it
 * found on site, a complaint or a tip-off. A registered subject is named by its entity id and taken from the
 * registry as it stands (name, e-ID, county); a party that is not registered is recorded in the case as it
 * was found. Either way the case is opened where the party is, which must lie in the caller's region; the
 * lots named must exist.
 */
@CommandHandler(OpenOwnCaseCommand)
export class OpenOwnCaseHandler implements ICommandHandler<OpenOwnCaseCommand, CommandOutcome<{ caseId: string; status: 'open' }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  execute({ input, meta }: OpenOwnCaseCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const subject = await this.subjectOf(input.subject);
        assertAllowed(meta.actor, 'act', regionalRecord('case', '(new)', subject.regionCode));
        const traceCodes = [...new Set(input.traceCodes ?? [])];
        for (const [i, code] of traceCodes.entries()) if (!(await this.models.get('lots', code))) throw new ValidationError(`traceCodes[${i}]`, `traceCodes[${i}]: no lot ${code}`, { traceCode: code });
        const caseId = this.ids.uuid();
        const data = {
          caseId,
          referral: { kind: 'own' as const, source: input.source, ref: input.ref ?? null },
          subject,
          product: input.product ?? null,
          traceCodes,
          summary: input.summary,
          referredBy: { orgId: meta.actor.orgId, userId: meta.actor.userId },
        };
        return [{ stream: this.ledger.fresh(caseStreamId(caseId)), events: decider.decide({ type: 'OpenCase', data }, decider.initialState(), { now: this.clock.now(), actor: meta.actor }) }];
      },
      (events) => ({ caseId: (events[0]!.data as { caseId: string }).caseId, status: 'open' as const }),
    );
  }

  private async subjectOf(s: OwnCaseSubject): Promise<CaseSubject> {
    if ('entityId' in s) {
      const entity = await this.models.get('entities', s.entityId);
      if (!entity) throw new NotFoundError('entity', s.entityId);
      return { entityId: s.entityId, eid: (entity.eid as string | null) ?? null, entityName: entity.name as string, regionCode: entity.regionCode as string };
    }
    if (!s.unregistered) throw new ValidationError('subject', 'subject needs entityId (registered) or unregistered (found on site)');
    const { name, regionCode, ...party } = s.unregistered;
    return {
      entityId: null,
      eid: null,
      entityName: name,
      regionCode,
      unregistered: { address: party.address, responsible: party.responsible ?? null, phone: party.phone ?? null, creditCode: party.creditCode ?? null },
    };
  }
}
