import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../system/project-root';
import { Public } from './auth/permission.decorator';

/** `/t/{traceCode}` is what a label's QR encodes: it opens the consumer page, which reads the code from the URL. */
@ApiExcludeController()
@Controller()
@Public()
export class PublicPagesController {
  private readonly page = (() => {
    const root = projectRoot();
    const built = path.join(root, 'web', 'dist', 'index.html');
    return fs.existsSync(built) ? built : path.join(root, 'web', 'landing', 'index.html');
  })();

  @Get('t/:traceCode')
  consumerPage(@Param('traceCode') _code: string, @Res() res: Response) {
    res.sendFile(this.page);
  }
}
