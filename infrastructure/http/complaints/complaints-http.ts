import type { Provider, Type } from '@nestjs/common';
import { AnswerComplaintHandler, SubmitComplaintHandler } from '../../../application/complaints/complaints';
import { CertificatesController } from '../certificates/certificates.controller';
import { ComplaintsController } from './complaints.controller';

/** What the consumer page asks besides the trace view (issue 15): 12316 complaints, certificate verification; added to AppModule in one place. */
export function complaintsHttp(): { controllers: Type[]; providers: Provider[] } {
  return { controllers: [ComplaintsController, CertificatesController], providers: [SubmitComplaintHandler, AnswerComplaintHandler] };
}
