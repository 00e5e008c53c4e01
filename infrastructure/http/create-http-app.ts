import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { accessDenialsOf } from '../../application/audit/access-log';
import type { Platform } from '../composition/platform';
import { projectRoot } from '../system/project-root';
import { AppModule } from './app.module';
import { CommandBus } from '@nestjs/cqrs';
import { timeCommands } from '../metrics/command-bus-timing';
import { countHttpResponses } from '../metrics/http-metrics';
import { accessLogOfFailures } from './auth/access-log.interceptor';
import { DomainExceptionFilter } from './errors/domain-exception.filter';
import { watchOverShipments } from './risk/over-shipment-observer';
import { addRequestSchemas } from './openapi/request-schemas';
import { addResponseSchemas } from './openapi/response-schemas';
import { BEARER, declareBearerAuth, tidySecurity } from './openapi/security';
import { inlineScriptsOf, noStoreForApi, securityHeaders } from './security/security-headers';
import { documentedRoutes } from './validation/documented-routes';
import { jsonBody } from './validation/json-body';
import { singleValuedQuery } from './validation/single-valued-query';
import { webConfigFrom } from './web-config/web-config';

/** Builds the HTTP application on a platform (used by main.ts and by the integration tests). */
export async function createHttpApp(platform: Platform): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(platform), {
    logger: platform.config.LOG_LEVEL === 'silent' ? false : ['error', 'warn'],
    // Our own JSON parser (validation/json-body.ts) names each body problem; no urlencoded parser, as
    // no route takes forms.
    bodyParser: false,
  });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.use(countHttpResponses(platform.metrics));
  timeCommands(app.get(CommandBus), platform.metrics);
  const root = projectRoot();
  const built = path.join(root, 'web', 'dist');
  const webRoot = fs.existsSync(path.join(built, 'index.html')) ? built : path.join(root, 'web', 'landing');
  app.use(
    securityHeaders({
      tileUrl: webConfigFrom(process.env, platform.config.AUTH, platform.config.publicUrl).tiles?.url,
      inlineScripts: inlineScriptsOf(fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8')),
    }),
  );
  app.use('/api', singleValuedQuery);
  const documented = documentedRoutes();
  app.use(documented.middleware);
  app.use(noStoreForApi);
  app.use(jsonBody('10mb'));
  // Failures are seen by the over-shipment watch, then the access log, before the answer goes out.
  app.useGlobalFilters(
    new DomainExceptionFilter(
      (err) => platform.logger.error({ err }, 'unhandled error'),
      [watchOverShipments(platform.quality.overShipment), accessLogOfFailures(platform.ledger, platform.clock)],
    ),
  );
  app.enableShutdownHooks();
  // The refusals counted since their window opened go into the ledger before it closes.
  const closeApp = app.close.bind(app);
  app.close = async () => {
    await closeApp();
    await accessDenialsOf(platform.ledger).close();
  };

  declareBearerAuth(app);
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Suyuan 溯源 API')
      .setDescription('Event-sourced traceability ledger for agricultural products. Errors: {error, message, details}.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /api/v1/auth/login answers the token' }, BEARER)
      .build(),
  );
  addRequestSchemas(doc);
  addResponseSchemas(doc);
  tidySecurity(doc);
  documented.learn(doc);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });

  // The built web app when there is one (issue #6), else the minimal landing page.
  const serveWeb = express.static(webRoot, { index: 'index.html' });
  // Registered before the API routes (Nest adds those at init), so without this every API request would
  // first cost a file-system stat of a path that never exists under the web app's folder.
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/') ? next() : serveWeb(req, res, next)));
  return app;
}
