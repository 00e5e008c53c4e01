import type { Provider, Type } from '@nestjs/common';
import {
  CloseIncidentHandler,
  GradeIncidentHandler,
  LogHandlingHandler,
  PublishPublicNoticeHandler,
  RecordIncidentHandler,
  ReviewIncidentHandler,
} from '../../../application/incidents/incident-commands';
import { OpenIncidentFromSourceHandler } from '../../../application/incidents/open-from-source';
import { AcknowledgeRecallHandler, ReportRecallQuantitiesHandler } from '../../../application/recall/recall-commands';
import { IncidentsController } from './incidents.controller';
import { RecallsController } from './recalls.controller';

/** Incidents and recall (issue 12) in the HTTP app, added to AppModule in one place. */
export function incidentsHttp(): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [IncidentsController, RecallsController],
    providers: [
      RecordIncidentHandler,
      OpenIncidentFromSourceHandler,
      GradeIncidentHandler,
      ReviewIncidentHandler,
      LogHandlingHandler,
      PublishPublicNoticeHandler,
      CloseIncidentHandler,
      AcknowledgeRecallHandler,
      ReportRecallQuantitiesHandler,
    ],
  };
}
