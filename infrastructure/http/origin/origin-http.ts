import type { Provider, Type } from '@nestjs/common';
import { ChangeOriginRecordHandler, CollectOriginRecordHandler, ReviewOriginRecordHandler, SetOriginContactsHandler } from '../../../application/origin/origin-commands';
import { defaultOriginSettings, ORIGIN_SETTINGS } from '../../../application/origin/settings';
import { chinaDivisionPlaces } from './china-division-places';
import { OriginController } from './origin.controller';

/** Origin-data collection (issue 13) in the HTTP app, added to AppModule in one place. */
export function originHttp(): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [OriginController],
    providers: [
      { provide: ORIGIN_SETTINGS, useValue: defaultOriginSettings(chinaDivisionPlaces()) },
      CollectOriginRecordHandler,
      ChangeOriginRecordHandler,
      ReviewOriginRecordHandler,
      SetOriginContactsHandler,
    ],
  };
}
