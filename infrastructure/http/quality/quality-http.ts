import type { Provider, Type } from '@nestjs/common';
import { CloseCaseHandler, RecordCaseActionHandler } from '../../../application/enforcement/cases';
import { OpenOwnCaseHandler } from '../../../application/enforcement/open-case';
import { ReclassifyFaultHandler, ReportFaultHandler, ReportFaultProgressHandler, ResolveFaultHandler } from '../../../application/faults/faults';
import { CompleteInspectionHandler, PublishInspectionHandler, RecordInspectionHandler, ReferInspectionHandler } from '../../../application/inspection/inspections';
import { ConfigureModelHandler, DistributeTaskHandler, PublishTaskHandler, SelectSpotCheckHandler } from '../../../application/monitoring/task-commands';
import { SubmitLabReportHandler, SubmitTaskReportHandler } from '../../../application/monitoring/task-reports';
import { DefineRiskRuleHandler, UpdateRiskRuleHandler } from '../../../application/risk/risk-rules';
import { AcknowledgeWarningHandler, CloseWarningHandler } from '../../../application/risk/warnings';
import { RecordResultHandler } from '../../../application/sampling/record-result';
import { RequestRetestHandler } from '../../../application/sampling/request-retest';
import { TakeSampleHandler } from '../../../application/sampling/take-sample';
import { CasesController } from '../enforcement/cases.controller';
import { FaultsController } from '../faults/faults.controller';
import { InspectionsController } from '../inspection/inspections.controller';
import { TasksController } from '../monitoring/tasks.controller';
import { NotificationsController } from '../notifications/notifications.controller';
import { RiskWarningsController } from '../risk/risk-warnings.controller';
import { SamplesController } from '../sampling/samples.controller';
import { LabSummaryController } from '../sampling/lab-summary.controller';

/**
 * The quality-and-safety side of the HTTP app (issue 3), added to AppModule in one place. Its over-shipment
 * watch sees refused commands through the exception filter (risk/over-shipment-observer.ts).
 */
export function qualityHttp(): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [TasksController, LabSummaryController, SamplesController, RiskWarningsController, CasesController, InspectionsController, FaultsController, NotificationsController],
    providers: [
      PublishTaskHandler,
      ConfigureModelHandler,
      DistributeTaskHandler,
      SelectSpotCheckHandler,
      SubmitLabReportHandler,
      SubmitTaskReportHandler,
      TakeSampleHandler,
      RecordResultHandler,
      RequestRetestHandler,
      AcknowledgeWarningHandler,
      CloseWarningHandler,
      DefineRiskRuleHandler,
      UpdateRiskRuleHandler,
      OpenOwnCaseHandler,
      RecordCaseActionHandler,
      CloseCaseHandler,
      PublishInspectionHandler,
      RecordInspectionHandler,
      ReferInspectionHandler,
      CompleteInspectionHandler,
      ReportFaultHandler,
      ReportFaultProgressHandler,
      ReclassifyFaultHandler,
      ResolveFaultHandler,
    ],
  };
}
