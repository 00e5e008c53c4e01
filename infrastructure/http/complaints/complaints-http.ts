import type { Provider, Type } from '@nestjs/common';
import { AnswerComplaintHandler, SubmitComplaintHandler } from '../../../application/complaints/complaints';
import { ComplaintsController } from './complaints.controller';

/** 12316 complaints (issue 15) in the HTTP app, added to AppModule in one place. */
export function complaintsHttp(): { controllers: Type[]; providers: Provider[] } {
  return { controllers: [ComplaintsController], providers: [SubmitComplaintHandler, AnswerComplaintHandler] };
}
