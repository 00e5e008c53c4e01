import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ChangePasswordHandler, CreateAccountHandler, LoginHandler } from '../../application/accounts/accounts';
import { AdministerAccountHandler } from '../../application/accounts/account-administration';
import { ACCOUNT_CREDENTIALS } from '../../application/accounts/credentials';
import { AccountAdministrationController } from './accounts/account-administration.controller';
import { PASSWORD_HASHER } from '../../application/ports/password-hasher';
import { argon2Hasher } from '../system/argon2-hasher';
import { AuthController } from './auth/auth.controller';
import { AUTH_MODE, AuthGuard } from './auth/auth.guard';
import { TOKEN_SERVICE, TokenService } from './auth/token-service';
import { CqrsModule } from '@nestjs/cqrs';
import { ApplyForRegistrationHandler } from '../../application/registration/apply-for-registration';
import { ApproveRegistrationHandler, RejectRegistrationHandler } from '../../application/registration/review-registration';
import { AddBaseHandler, UpdateRegistrationHandler } from '../../application/registration/update-registration';
import { CreateLotHandler } from '../../application/lots/create-lot';
import { IssueMarketEntryHandler } from '../../application/lots/issue-market-entry';
import { ShipHandler } from '../../application/transfers/ship';
import { ConfirmTransferHandler, RejectTransferHandler } from '../../application/transfers/settle';
import { RunBatchHandler } from '../../application/batch/run-batch';
import { CHAIN_HASHER } from '../../application/ledger/chain-hasher';
import { chainHasherFromEnv } from '../hashing/worker-chain-hasher';
import { BATCH_SETTINGS, BatchController } from './batch/batch.controller';
import { CLOCK, ID_GENERATOR } from '../../application/ports/clock';
import { EVENT_STORE } from '../../application/ports/event-store';
import { JOB_QUEUE } from '../../application/ports/job-queue';
import { SEARCH_INDEX } from '../../application/ports/search-index';
import { PROJECTION_PROGRESS, READ_MODELS } from '../../application/ports/read-models';
import { AUDIT_LOG_QUERY } from '../../application/ports/audit-log-query';
import { LEDGER, LEDGER_SETTINGS } from '../../application/shared/settings';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import type { Platform } from '../composition/platform';
import { ProjectionsController } from './admin/projections.controller';
import { AuditController } from './audit/audit.controller';
import { CheckpointsController } from './audit/checkpoints.controller';
import { ProofBundleController } from './audit/proof-bundle.controller';
import { LEDGER_SIGNER } from '../../application/ports/signer';
import { CommandGateway } from './command-gateway';
import { LotsController } from './lots/lots.controller';
import { PublicPagesController } from './public-pages.controller';
import { HealthController } from './health/health.controller';
import { METRICS_TOKEN, MetricsController } from '../metrics/metrics.controller';
import { PlatformMetrics } from '../metrics/platform-metrics';
import { Readiness } from '../system/readiness';
import { EntitiesController } from './registration/entities.controller';
import { SearchController } from './search/search.controller';
import { StatisticsController } from './statistics/statistics.controller';
import { EvaluationController } from './statistics/evaluation.controller';
import { StatisticsReportsController } from './statistics/reports.controller';
import { UploadMonitoringController } from './statistics/uploads.controller';
import { STATISTICS_RUNTIME } from './statistics/statistics-runtime.token';
import { SetEvaluationCriteriaHandler } from '../../application/evaluation/criteria';
import { LookupCounter } from '../../application/statistics/lookup-counter';
import { UploadCounter } from '../../application/statistics/upload-counter';
import { DataQualityController } from './data-quality/data-quality.controller';
import { UpdateQualityRuleHandler } from '../../application/data-quality/quality-rules';
import { TraceController } from './trace/trace.controller';
import { TraceEpcisController } from './reports/trace-epcis.controller';
import { IncidentReportsController } from './reports/incident-reports.controller';
import { TransfersController } from './transfers/transfers.controller';
import { LabelsController } from './labels/labels.controller';
import { RegionsController } from './regions/regions.controller';
import { WebConfigController } from './web-config/web-config.controller';
import { qualityHttp } from './quality/quality-http';
import { incidentsHttp } from './incidents/incidents-http';
import { originHttp } from './origin/origin-http';
import { attachmentsHttp } from './attachments/attachments-http';
import { complaintsHttp } from './complaints/complaints-http';
import { GRANT_SOURCE } from '../../application/access/grants';
import { AccessPolicy } from '../../application/access/access-policy';
import { AccountThrottlerGuard, throttlerOptions } from './rate-limit/throttling';

const COMMAND_HANDLERS = [
  ApplyForRegistrationHandler,
  ApproveRegistrationHandler,
  RejectRegistrationHandler,
  UpdateRegistrationHandler,
  AddBaseHandler,
  CreateLotHandler,
  IssueMarketEntryHandler,
  ShipHandler,
  ConfirmTransferHandler,
  RejectTransferHandler,
  CreateAccountHandler,
  LoginHandler,
  ChangePasswordHandler,
  AdministerAccountHandler,
  RunBatchHandler,
  SetEvaluationCriteriaHandler,
  UpdateQualityRuleHandler,
];

/** The HTTP application over an already-composed platform: ports are provided from it by token. */
@Module({})
export class AppModule {
  static register(platform: Platform): DynamicModule {
    const quality = qualityHttp();
    const incidents = incidentsHttp();
    const origin = originHttp(platform);
    const attachments = attachmentsHttp(platform);
    const complaints = complaintsHttp();
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ThrottlerModule.forRoot(
          throttlerOptions({
            publicPerMinute: platform.config.RATE_LIMIT_PUBLIC_PER_MIN,
            loginPerMinute: platform.config.RATE_LIMIT_LOGIN_PER_MIN,
            accountPerMinute: platform.config.RATE_LIMIT_ACCOUNT_PER_MIN,
          }),
        ),
      ],
      controllers: [
        AuthController,
        MetricsController,
        AccountAdministrationController,
        EntitiesController,
        LotsController,
        TransfersController,
        TraceController,
        TraceEpcisController,
        IncidentReportsController,
        AuditController,
        CheckpointsController,
        ProofBundleController,
        SearchController,
        StatisticsController,
        EvaluationController,
        StatisticsReportsController,
        UploadMonitoringController,
        DataQualityController,
        ProjectionsController,
        PublicPagesController,
        HealthController,
        LabelsController,
        RegionsController,
        WebConfigController,
        BatchController,
        ...quality.controllers,
        ...incidents.controllers,
        ...origin.controllers,
        ...attachments.controllers,
        ...complaints.controllers,
      ],
      providers: [
        { provide: LEDGER, useValue: platform.ledger },
        { provide: PlatformMetrics, useValue: platform.metrics },
        { provide: METRICS_TOKEN, useValue: platform.config.METRICS_TOKEN },
        { provide: LEDGER_SETTINGS, useValue: platform.settings },
        { provide: CLOCK, useValue: platform.clock },
        { provide: ID_GENERATOR, useValue: platform.ids },
        { provide: EVENT_STORE, useValue: platform.adapters.eventStore },
        { provide: JOB_QUEUE, useValue: platform.adapters.jobQueue },
        { provide: SEARCH_INDEX, useValue: platform.adapters.searchIndex },
        { provide: READ_MODELS, useValue: platform.readModels },
        { provide: AUDIT_LOG_QUERY, useValue: platform.auditLog },
        { provide: PROJECTION_PROGRESS, useValue: platform.runner },
        { provide: ProjectionRunner, useValue: platform.runner },
        { provide: Readiness, useValue: platform.readiness },
        { provide: LEDGER_SIGNER, useValue: platform.signer },
        { provide: GRANT_SOURCE, useValue: platform.grants },
        { provide: LookupCounter, useValue: platform.statistics.lookups },
        { provide: UploadCounter, useValue: platform.statistics.uploads },
        { provide: STATISTICS_RUNTIME, useValue: platform.statistics },
        AccessPolicy,
        CommandGateway,
        { provide: BATCH_SETTINGS, useValue: { maxCommands: platform.config.BATCH_MAX_COMMANDS } },
        { provide: PASSWORD_HASHER, useValue: argon2Hasher },
        // A batch's hash chains on worker threads (HASH_WORKERS; decision 0020).
        { provide: CHAIN_HASHER, useFactory: () => chainHasherFromEnv() },
        { provide: ACCOUNT_CREDENTIALS, useValue: platform.credentials },
        { provide: TOKEN_SERVICE, useValue: new TokenService(platform.tokenSecret, platform.config.AUTH_TOKEN_TTL_S, () => platform.clock.now()) },
        { provide: AUTH_MODE, useValue: platform.config.AUTH },
        // Order matters: rate limit first, then identity + permission. No global interceptor: sensitive reads
        // bind theirs (@SensitiveRead), failures are logged by the exception filter (create-http-app.ts).
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        // The per-account limit needs the account, so it comes after the AuthGuard (rate-limit/throttling.ts).
        { provide: APP_GUARD, useClass: AccountThrottlerGuard },
        ...COMMAND_HANDLERS,
        ...quality.providers,
        ...incidents.providers,
        ...origin.providers,
        ...attachments.providers,
        ...complaints.providers,
      ],
    };
  }
}
