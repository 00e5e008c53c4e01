import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import type { CommandMeta } from '../../application/ledger/ledger';
import type { CommandOutcome } from '../../application/ledger/run-command';
import { ID_GENERATOR, type IdGenerator } from '../../application/ports/clock';
import { PROJECTION_PROGRESS, type ProjectionProgress } from '../../application/ports/read-models';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../application/shared/settings';
import { actorOf } from './auth/auth.guard';
import { requestCommandId } from './identity/request-actor';

/**
 * Sends a command through the bus and, by default, waits (bounded) until the read models include its
 * events, so a client that creates a lot can look it up on the next request.
 */
@Injectable()
export class CommandGateway {
  constructor(
    private readonly bus: CommandBus,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  meta(req: Request): CommandMeta {
    const correlation = req.header('x-correlation-id');
    return {
      commandId: requestCommandId(req, () => this.ids.uuid()),
      actor: actorOf(req),
      ...(correlation ? { correlationId: correlation } : {}),
    };
  }

  async execute<R extends object>(command: object): Promise<R & { position: number; duplicate: boolean }> {
    const outcome = (await this.bus.execute(command as never)) as CommandOutcome<R>;
    if (this.settings.readYourWritesMs > 0) await this.progress.waitFor(outcome.position, this.settings.readYourWritesMs);
    return { ...outcome.result, position: outcome.position, duplicate: outcome.duplicate };
  }
}
