import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { AUTH_MODE } from '../auth/auth.guard';
import { Public } from '../auth/permission.decorator';
import { webConfigFrom, type WebConfig } from './web-config';

@ApiTags('web')
@Controller('api/v1/config')
export class WebConfigController {
  private readonly config: WebConfig;

  constructor(@Inject(AUTH_MODE) authMode: WebConfig['authMode'], @Inject(LEDGER_SETTINGS) settings: LedgerSettings) {
    // Read once at start: a bad TILE_URL stops the app at boot, like every other setting.
    this.config = webConfigFrom(process.env, authMode, settings.publicUrl);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Settings of this installation the web app needs: sign-in mode, public URL, map tile server (null = bundled boundaries only)' })
  get(): WebConfig {
    return this.config;
  }
}
