import { PassThrough } from 'node:stream';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { columnName, TEMPLATE_COLUMNS } from '../../../application/origin/import/columns';
import { OriginImports } from '../../../application/origin/import/origin-imports';
import { fieldsToCells, type RowCells } from '../../../application/origin/import/row-input';
import type { SheetFormat } from '../../../application/origin/import/spreadsheet-rows';
import { csvHeader, csvLine, EXAMPLE_ROW, sheetWriter, writeTemplate } from '../../../application/origin/import/workbooks';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import type { OriginRecordFields } from '../../../domain/origin';
import { NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires } from '../auth/permission.decorator';
import { parseInput } from '../validation/parse-input';
import { ListQuery, originFilter } from './origin.controller';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';
const UploadQuery = z.object({ filename: z.string().max(200).optional(), format: z.enum(['xlsx', 'csv']).optional() });
const ResultsQuery = z.object({ refused: z.enum(['true', 'false']).optional(), page: z.coerce.number().int().min(1).max(100_000).default(1), pageSize: z.coerce.number().int().min(1).max(1000).default(100) });
const ExportQuery = ListQuery.omit({ page: true, pageSize: true }).extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
/** Rows read from the read model per query while exporting (memory flat in the set's size). */
const EXPORT_PAGE = 1000;

/** The upload's format: asked for, else by the file name, else by its content type. */
function formatOf(req: Request, q: z.infer<typeof UploadQuery>): SheetFormat {
  if (q.format) return q.format;
  if (q.filename && /\.csv$/i.test(q.filename)) return 'csv';
  if (q.filename && /\.xlsx$/i.test(q.filename)) return 'xlsx';
  const type = req.header('content-type') ?? '';
  if (/csv|text\/plain/i.test(type)) return 'csv';
  if (/spreadsheetml|octet-stream/i.test(type)) return 'xlsx';
  throw new ValidationError('format', 'send the 采集表 as XLSX or CSV (format=xlsx|csv, or a file name ending .xlsx / .csv)', { contentType: type });
}

/** Streams a workbook built by `write` as the answer; a failure half-way ends the download broken, not silently short. */
function streamed(name: string, type: string, write: (out: PassThrough) => Promise<void>): StreamableFile {
  const out = new PassThrough();
  write(out).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return new StreamableFile(out, { type, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(name)}` });
}

/**
 * 表格方式批量采集 (issue 13 part 4): the template, the import job (upload, status with progress, per-row results,
 * the error workbook) and the export of any filtered set in the template's layout. Registered before
 * OriginController so `records/export` is not taken for a record id.
 */
@ApiTags('origin')
@Controller('api/v1/origin')
export class OriginImportController {
  constructor(
    private readonly imports: OriginImports,
    @Inject(READ_MODELS) private readonly models: ReadModels,
  ) {}

  @Get('template.xlsx')
  @Requires('origin.collect')
  @ApiOperation({ summary: '附件1 采集表 template (XLSX, two header rows, one example row, the 备注 on a second sheet)' })
  templateXlsx() {
    return streamed('重点农产品产地溯源信息采集表.xlsx', XLSX, async (out) => writeTemplate(out));
  }

  @Get('template.csv')
  @Requires('origin.collect')
  @ApiOperation({ summary: '附件1 采集表 template as CSV (UTF-8 with BOM; one header row "基地地址/省" …)' })
  templateCsv() {
    return streamed('重点农产品产地溯源信息采集表.csv', CSV, async (out) => {
      out.end(`\uFEFF${csvHeader()}\r\n${csvLine(EXAMPLE_ROW)}\r\n`);
    });
  }

  @Post('imports')
  @Requires('origin.collect')
  @HttpCode(202)
  @ApiOperation({ summary: 'Upload a filled 采集表 (the raw XLSX or CSV bytes as the body); answers the import, queued as a job' })
  async upload(@Req() req: Request, @Query() query: unknown) {
    const q = parseInput(UploadQuery, query);
    const format = formatOf(req, q);
    return this.imports.start(actorOf(req), { fileName: q.filename ?? `upload.${format}`, format, body: req });
  }

  @Get('imports/:id')
  @Requires('origin.read')
  @ApiOperation({ summary: 'An import’s progress: state, rows read, accepted (created / updated / unchanged), refused, bytes read of the file' })
  async status(@Req() req: Request, @Param('id') id: string) {
    const status = await this.imports.status(actorOf(req), id);
    if (!status) throw new NotFoundError('origin import', id);
    return status;
  }

  @Get('imports/:id/results')
  @Requires('origin.read')
  @ApiOperation({ summary: 'Per-row results of an import: accepted (with the record id and outcome) or refused naming the column and the rule; paged' })
  async results(@Req() req: Request, @Param('id') id: string, @Query() query: unknown) {
    const q = parseInput(ResultsQuery, query);
    const status = await this.imports.status(actorOf(req), id);
    if (!status) throw new NotFoundError('origin import', id);
    const from = (q.page - 1) * q.pageSize;
    const items: unknown[] = [];
    let n = 0;
    for await (const r of this.imports.results(id)) {
      if (q.refused === 'true' && r.result !== 'refused') continue;
      if (q.refused === 'false' && r.result !== 'accepted') continue;
      if (n++ < from || items.length >= q.pageSize) continue;
      const { cells: _cells, ...rest } = r;
      items.push(rest);
    }
    return { importId: id, state: status.state, items, total: n, page: q.page, pageSize: q.pageSize };
  }

  @Get('imports/:id/errors.xlsx')
  @Requires('origin.read')
  @ApiOperation({ summary: 'The refused rows as the template lays them out, with an error column (错误: column and rule)' })
  async errors(@Req() req: Request, @Param('id') id: string) {
    const status = await this.imports.status(actorOf(req), id);
    if (!status) throw new NotFoundError('origin import', id);
    return streamed(`导入错误-${status.fileName.replace(/\.(xlsx|csv)$/i, '')}.xlsx`, XLSX, async (out) => {
      const w = sheetWriter(out, { title: '导入错误', extraHeaders: ['原行号', '错误'] });
      for await (const r of this.imports.results(id)) {
        if (r.result !== 'refused' || !r.cells) continue;
        w.addRow(r.cells as RowCells, [String(r.row), `${r.column}：${r.rule}`]);
      }
      await w.done();
    });
  }

  @Get('records/export')
  @Requires('origin.read')
  @ApiOperation({ summary: '一张表 export: the records of the same filters as GET records, in the 采集表 layout (XLSX, or CSV with format=csv)' })
  async export(@Req() req: Request, @Query() query: unknown) {
    const q = parseInput(ExportQuery, query);
    const filter = originFilter(req, { ...q, page: 1, pageSize: EXPORT_PAGE });
    const pages = async function* (models: ReadModels) {
      let last = '';
      for (;;) {
        const docs = await models.find('origin_records', last ? { ...filter, _id: { $gt: last } } : filter, { sort: { _id: 1 }, limit: EXPORT_PAGE });
        for (const d of docs) yield d as unknown as { _id: string; fields: OriginRecordFields; reviewState: string };
        if (docs.length < EXPORT_PAGE) return;
        last = docs[docs.length - 1]!._id as string;
      }
    };
    const extra = ['记录编号', '审核状态'];
    const state: Record<string, string> = { pending: '待审核', approved: '已通过', returned: '已退回' };
    if (q.format === 'csv') {
      return streamed('产地溯源信息.csv', CSV, async (out) => {
        const header = [...TEMPLATE_COLUMNS.map((c) => columnName(c)), ...extra].join(',');
        out.write(`\uFEFF${header}\r\n`);
        for await (const d of pages(this.models)) if (!out.write(`${csvLine(fieldsToCells(d.fields), [d._id, state[d.reviewState] ?? d.reviewState])}\r\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
        out.end();
      });
    }
    return streamed('产地溯源信息.xlsx', XLSX, async (out) => {
      const w = sheetWriter(out, { title: '重点农产品产地溯源信息采集表', extraHeaders: extra });
      for await (const d of pages(this.models)) w.addRow(fieldsToCells(d.fields), [d._id, state[d.reviewState] ?? d.reviewState]);
      await w.done();
    });
  }
}
