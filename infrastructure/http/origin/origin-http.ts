import type { Provider, Type } from '@nestjs/common';
import { ChangeOriginRecordHandler, CollectOriginRecordHandler, ReviewOriginRecordHandler, SetOriginContactsHandler, SetOriginScopeRulesHandler, SetOriginTargetsHandler } from '../../../application/origin/origin-commands';
import { OriginImports } from '../../../application/origin/import/origin-imports';
import { ORIGIN_SETTINGS } from '../../../application/origin/settings';
import type { Platform } from '../../composition/platform';
import { OriginImportController } from './origin-import.controller';
import { OriginController } from './origin.controller';

/** Origin-data collection (issue 13) in the HTTP app, added to AppModule in one place. */
export function originHttp(platform: Platform): { controllers: Type[]; providers: Provider[] } {
  return {
    // The import controller first: its `records/export` must not be taken for `records/:id`.
    controllers: [OriginImportController, OriginController],
    providers: [
      // One directory and one import runtime, the platform's (its job runs on the platform's queue).
      { provide: ORIGIN_SETTINGS, useValue: platform.origin.settings },
      { provide: OriginImports, useValue: platform.origin.imports },
      CollectOriginRecordHandler,
      ChangeOriginRecordHandler,
      ReviewOriginRecordHandler,
      SetOriginContactsHandler,
      SetOriginTargetsHandler,
      SetOriginScopeRulesHandler,
    ],
  };
}
