/**
 * Evidence attachments: the upload is spooled to a temporary file (never held whole in memory),
 * its type told by its bytes, its size checked against its kind's limit, images re-encoded
 * without metadata (EXIF, GPS) — then the file goes to the storage, and only then, in one
 * transaction under the case lock, the row and an `attachment_added` event are written. If the
 * transaction fails the stored file is removed: no row without a file, no file without a row.
 *
 * Who may attach: a liaison, committee member or officer whose unit sees the case (holds, has
 * held or supervises it, or registered it). Conveners read attachments; admins see no cases.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { inTransaction, type Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import type { CaseEngine } from '../cases/case-engine.js';
import { appendEvents, type RecordKey } from '../cases/case-record.js';
import { lockCase } from '../cases/case-store.js';
import { NotFound } from '../errors.js';
import { requireCapability } from '../access/permissions.js';
import { maskFreeText } from '../privacy/masking.js';
import type { FileStorage } from '../storage/file-storage.js';
import {
  MAX_IMAGE_PIXELS, checkPixels, checkSize, detectFile, largestLimit, toMb, tooLarge, undecodable, type AttachmentLimits, type DetectedFile,
} from './attachment-kinds.js';

export interface AttachmentView { id: string; name: string; contentType: string; size: number; createdAt: string }
interface AttachmentRow { id: string; caseId: string; name: string; contentType: string; size: number; sha256: string; storageKey: string; createdAt: Date }

export interface AttachmentDeps {
  sql: Sql;
  storage: FileStorage;
  limits: AttachmentLimits;
  visibleCase: CaseEngine['visibleCase'];
  /** The case an upload adds to: in the uploader's own unit's scope (a headquarters only reads its network's). */
  caseToWorkOn: CaseEngine['caseToWorkOn'];
  /** The key of the record's digests: the file's name is personal. */
  recordKey: RecordKey;
}

export interface Upload { filename: string; file: Readable }

export function createAttachmentService(deps: AttachmentDeps) {
  async function attach(caller: Caller, caseId: string, upload: Upload): Promise<AttachmentView> {
    await inTransaction(deps.sql, (tx) => deps.caseToWorkOn(tx, caller, caseId));
    requireCapability(caller, 'attachEvidence');
    return view(await receiveUpload(upload, deps.limits, (file) => store(caller, caseId, file)));
  }

  /** Storage first, then the row and the event in one transaction; the file goes again if that fails. */
  async function store(caller: Caller, caseId: string, { path: file, detected, name, size, sha256 }: CheckedFile): Promise<AttachmentRow> {
    const id = randomUUID();
    const storageKey = `attachments/${caseId}/${id}.${detected.ext}`;
    await deps.storage.write(storageKey, createReadStream(file), detected.contentType);
    try {
      return await inTransaction(deps.sql, async (tx) => {
        await deps.caseToWorkOn(tx, caller, caseId);
        const row = (await lockCase(tx, caseId))!;
        const at = new Date();
        const [saved] = await tx<AttachmentRow[]>`insert into attachments
          (id, case_id, name, content_type, size, sha256, storage_key, uploaded_by, uploaded_by_org_id, created_at)
          values (${id}, ${caseId}, ${name}, ${detected.contentType}, ${size}, ${sha256}, ${storageKey}, ${caller.userId}, ${caller.orgId}, ${at})
          returning id, case_id, name, content_type, size, sha256, storage_key, created_at`;
        await appendEvents(tx, deps.recordKey, row, [{
          caseId, action: 'attachment_added', fromState: row.state, toState: row.state, level: row.level, holderOrgId: row.holderOrgId,
          actor: { userId: caller.userId, orgId: caller.orgId }, at,
          data: { attachmentId: id, name, contentType: detected.contentType, size, sha256 },
        }]);
        return saved;
      });
    } catch (error) {
      await deps.storage.remove(storageKey);
      throw error;
    }
  }

  async function list(caller: Caller, caseId: string): Promise<AttachmentView[]> {
    return inTransaction(deps.sql, async (tx) => {
      await deps.visibleCase(tx, caller, caseId);
      const rows = await tx<AttachmentRow[]>`select * from attachments where case_id = ${caseId} order by created_at, id`;
      return rows.map(view);
    });
  }

  /** The file's bytes, for a caller who may see its case; 404 otherwise (no existence leak). */
  async function open(caller: Caller, id: string): Promise<{ attachment: AttachmentView; body: Readable }> {
    const row = await inTransaction(deps.sql, async (tx) => {
      const [found] = await tx<AttachmentRow[]>`select * from attachments where id = ${id}`;
      if (!found) throw attachmentNotFound(id);
      await deps.visibleCase(tx, caller, found.caseId).catch((error) => { throw error instanceof NotFound ? attachmentNotFound(id) : error; });
      return found;
    });
    const body = await deps.storage.read(row.storageKey);
    if (!body) throw attachmentNotFound(id);
    return { attachment: view(row), body };
  }

  return { attach, list, open };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;

/** An upload that passed the checks: its clean file (a temporary path), its detected type and its safe name. */
export interface CheckedFile { path: string; detected: DetectedFile; name: string; size: number; sha256: string }

/**
 * Every upload's checks, for case attachments and workers' submissions alike: spooled to a
 * temporary file, its type told by its bytes, its size checked against its kind's limit, an image
 * re-encoded without metadata; then `keep` stores it, and the temporary files go.
 */
export async function receiveUpload<T>(upload: Upload, limits: AttachmentLimits, keep: (file: CheckedFile) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'upload-'));
  try {
    const received = path.join(dir, 'received');
    await pipeline(upload.file, createWriteStream(received));
    // The multipart reader stops at the largest limit of any kind and marks the stream truncated.
    if ((upload.file as Readable & { truncated?: boolean }).truncated) throw tooLarge(`文件不能超过 ${toMb(largestLimit(limits))} MB / a file may be at most ${toMb(largestLimit(limits))} MB`);
    const detected = await detectFile(received);
    checkSize(detected.kind, (await stat(received)).size, limits);
    const clean = detected.kind === 'image' ? await withoutMetadata(received, detected, path.join(dir, 'clean')) : received;
    return await keep({ path: clean, detected, name: safeName(upload.filename, detected.ext), size: (await stat(clean)).size, sha256: await digestOf(clean) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Re-encoded in its own format, turned upright first (the orientation lives in the EXIF that goes).
 * Its size in pixels is checked from the header before anything is decoded (413), and sharp's own
 * `limitInputPixels` guards the decoding too; bytes that do not decode are 415. Nothing is stored yet.
 */
async function withoutMetadata(file: string, detected: DetectedFile, out: string): Promise<string> {
  const refuse = (): never => { throw undecodable(detected.ext); };
  const { width = 0, height = 0 } = await sharp(file, { limitInputPixels: false }).metadata().catch(refuse);
  checkPixels(width, height);
  const image = sharp(file, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
  const encoded = detected.ext === 'png' ? image.png() : detected.ext === 'webp' ? image.webp() : image.jpeg({ quality: 90 });
  await encoded.toFile(out).catch(refuse);
  return out;
}

async function digestOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The client's name without folders or control characters, personal numbers masked, the detected extension. */
export function safeName(filename: string, ext: string): string {
  const base = path.posix.basename(filename.replace(/\\/g, '/')).replace(/[\p{Cc}\p{Cf}"<>:|?*]/gu, '').trim();
  const stem = maskFreeText(base.replace(/\.[^.]*$/, '')).slice(0, 100) || 'attachment';
  return `${stem}.${ext}`;
}

function view(row: AttachmentRow): AttachmentView {
  return { id: row.id, name: row.name, contentType: row.contentType, size: Number(row.size), createdAt: row.createdAt.toISOString() };
}

function attachmentNotFound(id: string) {
  return new NotFound(`附件不存在 / no attachment '${id}'`);
}
