import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { FileBlobStore } from '../../infrastructure/blobs/file-blob-store';
import { S3BlobStore } from '../../infrastructure/blobs/s3-blob-store';
import { createLot, entityBody, registeredEntity } from './support/fixtures';
import { asLab, asMinistry, cstDate, LEDONG_LAB, openTask, PASSING_RESULT, sampleLot } from './support/quality-fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

const asInspector = { 'X-Role': 'inspector', 'X-Org-Id': 'county-469027', 'X-User-Id': 'u-insp-li', 'X-Region': '469027' };
const asShandong = { 'X-Role': 'county-admin', 'X-Org-Id': 'county-370686', 'X-User-Id': 'u-370686', 'X-Region': '370686' };
const asHaikou = { 'X-Role': 'county-admin', 'X-Org-Id': 'county-460105', 'X-User-Id': 'u-460105', 'X-Region': '460105' };
const ledongLab = asLab(LEDONG_LAB.orgId, '469027');

const MAX = 64 * 1024;
const VIDEO_MAX = 256 * 1024;

/** A file of the given type: its real magic bytes, then random content. */
const jpeg = (size = 2000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const pdf = (size = 3000) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
const mp4 = (size: number) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), randomBytes(size - 12)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('attachments: upload, attach through a command, serve to who may read the record', () => {
  let t: TestApp;
  let entity: { entityId: string; eid: string };
  let inspectionId: string;
  let sampleId: string;
  const photo = jpeg();
  const report = pdf();

  const upload = (body: Buffer, type: string, headers: Record<string, string> = asInspector) => t.http.post('/api/v1/attachments').set(headers).set('Content-Type', type).send(body);
  const head = () => t.platform.adapters.eventStore.headPosition();
  const settled = async () => t.platform.runner.waitFor(await head());

  beforeAll(async () => {
    t = await startTestApp({ ATTACHMENT_MAX_BYTES: String(MAX), ATTACHMENT_VIDEO_MAX_BYTES: String(VIDEO_MAX) });
    entity = await registeredEntity(t);
    inspectionId = (
      await t.http.post('/api/v1/inspections').set(asCounty('469027')).send({ title: '豇豆基地巡查', regionCode: '469027', inspectors: [{ userId: 'u-insp-li', name: '李巡查' }], dueDate: cstDate(10) }).expect(201)
    ).body.inspectionId;
    const taskId = await openTask(t);
    sampleId = await sampleLot(t, taskId, await createLot(t, entity.entityId, 500));
  });
  afterAll(async () => t.close());

  it('an upload answers {sha256, size, contentType}; the same bytes again are the same blob', async () => {
    const first = await upload(photo, 'image/jpeg').expect(201);
    expect(first.body).toEqual({ sha256: sha(photo), size: photo.length, contentType: 'image/jpeg' });
    const again = await upload(photo, 'image/jpeg').expect(201);
    expect(again.body).toEqual(first.body);
    await upload(report, 'application/pdf', ledongLab).expect(201);
  });

  it('an inspection visit and a test result carry the references; the ledger keeps only sha256, type, size, name', async () => {
    const before = await head();
    const photoRef = { sha256: sha(photo), contentType: 'image/jpeg', size: photo.length, name: '现场照片1.jpg' };
    await t.http
      .post(`/api/v1/inspections/${inspectionId}/records`)
      .set(asInspector)
      .send({ subject: { kind: 'registered', eid: entity.eid }, visitedAt: new Date().toISOString(), findings: [], conclusion: '未发现问题', attachments: [photoRef] })
      .expect(201);
    const reportRef = { sha256: sha(report), contentType: 'application/pdf', size: report.length, name: '检测报告.pdf' };
    await t.http
      .post(`/api/v1/samples/${sampleId}/results`)
      .set(ledongLab)
      .send({ analytes: PASSING_RESULT, testedAt: new Date(Date.now() - 60_000).toISOString(), reportNo: 'R-ATT-1', attachments: [reportRef] })
      .expect(201);
    const events = await t.platform.adapters.eventStore.readAll({ afterPosition: before, maxCount: 1000 });
    const attached = events.filter((e) => e.type === 'AttachmentsAttached').map((e) => e.data as { record: { kind: string }; attachments: unknown[] });
    expect(attached.map((d) => d.record.kind)).toEqual(['inspection-record', 'sample']);
    expect(attached.map((d) => d.attachments)).toEqual([[photoRef], [reportRef]]);
    // Nothing but the four facts: no bytes, no paths.
    expect(JSON.stringify(attached)).not.toContain(photo.subarray(4, 40).toString('base64'));
  });

  it('serves the file to callers allowed to read the record, refuses another region, a producer and other labs', async () => {
    await settled();
    const served = await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asCounty('469027')).buffer(true).parse(binary).expect(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(sha(served.body as Buffer)).toBe(sha(photo));
    await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asInspector).expect(200);
    await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asMinistry()).expect(200);
    const shandong = await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asShandong).expect(403);
    expect(shandong.body.error).toBe('OUT_OF_SCOPE');
    await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asHaikou).expect(403);

    const lab = await t.http.get(`/api/v1/attachments/${sha(report)}`).set(ledongLab).buffer(true).parse(binary).expect(200);
    expect(sha(lab.body as Buffer)).toBe(sha(report));
    await t.http.get(`/api/v1/attachments/${sha(report)}`).set(asLab('lab-elsewhere', '469027')).expect(404); // another lab's sample: unknown to it
    await t.http.get(`/api/v1/attachments/${sha(report)}`).set(asProducer(entity.entityId)).expect(200); // the sampled entity is party
    await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asProducer('someone-else')).expect(404);
    // The public (a consumer; without an account: 401 in the route matrix, which signs in with tokens) neither reads nor uploads.
    const asConsumer = { 'X-Role': 'consumer', 'X-Org-Id': 'public', 'X-User-Id': 'u-c' };
    await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asConsumer).expect(403);
    await t.http.post('/api/v1/attachments').set(asConsumer).set('Content-Type', 'image/jpeg').send(jpeg()).expect(403);
  });

  it('a file uploaded but attached to nothing is served to nobody; an unknown or malformed hash is 404', async () => {
    const lonely = jpeg(500);
    await upload(lonely, 'image/jpeg').expect(201);
    await t.http.get(`/api/v1/attachments/${sha(lonely)}`).set(asMinistry()).expect(404);
    await t.http.get(`/api/v1/attachments/${'0'.repeat(64)}`).set(asMinistry()).expect(404);
    await t.http.get('/api/v1/attachments/not-a-hash').set(asMinistry()).expect(404);
  });

  describe('refused uploads name the problem, store nothing and append nothing', () => {
    const refusals: [string, () => Buffer, string, number, string][] = [
      ['a photo over the limit', () => jpeg(MAX + 1), 'image/jpeg', 413, 'ATTACHMENT_TOO_LARGE'],
      ['a video over the video limit', () => mp4(VIDEO_MAX + 1), 'video/mp4', 413, 'ATTACHMENT_TOO_LARGE'],
      ['a type not allowed', () => Buffer.from('<svg/>'), 'image/svg+xml', 415, 'UNSUPPORTED_ATTACHMENT_TYPE'],
      ['no Content-Type', () => jpeg(), '', 415, 'UNSUPPORTED_ATTACHMENT_TYPE'],
      ['a PDF declared as a JPEG', () => pdf(), 'image/jpeg', 415, 'ATTACHMENT_TYPE_MISMATCH'],
      ['a script declared as a PNG', () => Buffer.from('#!/bin/sh\nrm -rf /\n'), 'image/png', 415, 'ATTACHMENT_TYPE_MISMATCH'],
    ];
    it.each(refusals)('%s', async (_name, body, type, status, code) => {
      await settled();
      const before = await head();
      const content = body();
      const req = t.http.post('/api/v1/attachments').set(asInspector);
      const res = await (type ? req.set('Content-Type', type) : req).send(content).expect(status);
      expect(res.body.error).toBe(code);
      expect(res.body.message.length).toBeGreaterThan(10);
      expect(await t.platform.blobs.exists(sha(content))).toBe(false);
      expect(await head()).toBe(before);
    });

    it('a video within its own limit (above the photo limit) is accepted', async () => {
      const video = mp4(MAX + 1000);
      expect((await upload(video, 'video/mp4').expect(201)).body.size).toBe(video.length);
    });

    it('a reference to a file never uploaded, or with the wrong size, refuses the command: 400, nothing appended', async () => {
      await settled();
      const before = await head();
      const missing = { sha256: sha(randomBytes(8)), contentType: 'image/jpeg', size: 10, name: 'x.jpg' };
      const body = (attachments: unknown[]) => ({ subject: { kind: 'registered', eid: entity.eid }, visitedAt: new Date().toISOString(), findings: [], conclusion: '复查', attachments });
      const res = await t.http.post(`/api/v1/inspections/${inspectionId}/records`).set(asInspector).send(body([missing])).expect(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'attachments[0].sha256' } });
      const relabelled = await t.http
        .post(`/api/v1/inspections/${inspectionId}/records`)
        .set(asInspector)
        .send(body([{ sha256: sha(photo), contentType: 'image/jpeg', size: photo.length + 1, name: 'x.jpg' }]))
        .expect(400);
      expect(relabelled.body.details.field).toBe('attachments[0]');
      await t.http.post(`/api/v1/inspections/${inspectionId}/records`).set(asInspector).send(body([{ ...missing, sha256: 'XYZ' }])).expect(400);
      expect(await head()).toBe(before);
    });
  });

  it('registration proof documents: attached with the application, listed for the county’s review, served to the reviewers only', async () => {
    const licence = pdf(4000);
    // The applicant signed in (a producer account): the public may apply, but not fill the store.
    await upload(licence, 'application/pdf', { 'X-Role': 'consumer' }).expect(403);
    const applicant = asProducer('ent-parent-coop');
    await upload(licence, 'application/pdf', applicant).expect(201);
    const ref = { sha256: sha(licence), contentType: 'application/pdf', size: licence.length, name: '营业执照.pdf' };
    const applied = await t.http.post('/api/v1/entities').set(applicant).send(entityBody({ attachments: [ref] })).expect(201);
    const entityId = applied.body.entityId as string;
    await settled();
    const listed = await t.http.get(`/api/v1/attachments/records/entity/${entityId}`).set(asCounty('469027')).expect(200);
    expect(listed.body.record).toEqual({ kind: 'entity', id: entityId });
    expect(listed.body.items).toEqual([expect.objectContaining({ ...ref, attachedBy: { userId: 'u-ent-parent-coop', orgId: 'ent-parent-coop' } })]);
    const served = await t.http.get(`/api/v1/attachments/${ref.sha256}`).set(asCounty('469027')).buffer(true).parse(binary).expect(200);
    expect(sha(served.body as Buffer)).toBe(ref.sha256);
    await t.http.get(`/api/v1/attachments/records/entity/${entityId}`).set(asShandong).expect(403);
    await t.http.get(`/api/v1/attachments/${ref.sha256}`).set(asShandong).expect(403);
    await t.http.get('/api/v1/attachments/records/entity/no-such-entity').set(asCounty('469027')).expect(404);
    await t.http.get(`/api/v1/attachments/records/lot/${entityId}`).set(asCounty('469027')).expect(400);
    // An unknown file refuses the application, and nothing is appended.
    const before = await head();
    await t.http.post('/api/v1/entities').set(applicant).send(entityBody({ attachments: [{ ...ref, sha256: 'f'.repeat(64) }] })).expect(400);
    expect(await head()).toBe(before);
  });

  it('a byte flipped in the stored file: GET answers 409 ATTACHMENT_CORRUPTED instead of the altered content', async () => {
    await settled();
    const bytes = Buffer.from(photo);
    bytes[100] = bytes[100]! ^ 0x01;
    const store = t.platform.blobs;
    if (store instanceof S3BlobStore) {
      // BLOB_STORE=s3: the object is overwritten behind the store's back.
      await store.raw.client.send(new PutObjectCommand({ Bucket: store.raw.bucket, Key: store.key(sha(photo)), Body: bytes, ContentType: 'image/jpeg' }));
    } else {
      fs.writeFileSync((store as FileBlobStore).pathOf(sha(photo)), bytes);
    }
    const res = await t.http.get(`/api/v1/attachments/${sha(photo)}`).set(asCounty('469027')).expect(409);
    expect(res.body).toMatchObject({ error: 'ATTACHMENT_CORRUPTED', details: { sha256: sha(photo), actual: sha(bytes) } });
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });
});

/** supertest: collect a binary body as a Buffer. */
function binary(res: { on(event: string, listener: (chunk?: Buffer) => void): unknown }, done: (err: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c) => void chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
