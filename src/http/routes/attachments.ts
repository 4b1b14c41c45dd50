/** Evidence attachments: upload (multipart, field `file`, one file), list, download. Thin: validate, call the service, shape. */
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { BadRequest } from '../../errors.js';
import type { AttachmentService, Upload } from '../../attachments/attachment-service.js';
import { tooLarge, toMb } from '../../attachments/attachment-kinds.js';
import { errors } from '../schemas.js';
import type { App } from '../app.js';
import type { Limiter } from '../limits.js';

const tags = ['attachments 证据附件'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const AttachmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ description: '安全文件名（去路径、个人号码打码）/ a safe file name (no path; personal numbers masked)' }),
  contentType: Type.String({ description: '按文件内容识别 / told by the bytes' }),
  size: Type.Integer({ description: '字节 / bytes (images after their metadata was removed)' }),
  createdAt: Type.String({ format: 'date-time' }),
}, { description: '证据附件 / an evidence attachment' });

/** The upload's body, for the OpenAPI document; the multipart stream itself is read by the handler. */
export const UploadBody = Type.Object({ file: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: '一个文件 / one file' }) }, { required: ['file'] });

/** The body is a multipart stream (not validated as JSON); the path parameters are. */
export const multipartValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  if (httpPart === 'body') return () => true;
  const check = Compile(schema);
  return (value) => (check.Check(value) ? { value } : { error: new BadRequest(`${httpPart}: ${[...check.Errors(value)][0]?.message ?? 'invalid'}`) });
};

const FileBody = Type.Unsafe<unknown>({
  description: '附件内容 / the file\'s bytes',
  content: Object.fromEntries(['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/amr', 'audio/webm']
    .map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
});

export async function attachmentRoutes(app: App, { attachments, maxUploadBytes, uploads }: {
  attachments: AttachmentService; maxUploadBytes: number;
  /** Uploads per user per minute; counted before the body is read. */
  uploads: Limiter;
}) {
  app.post('/cases/:id/attachments', {
    validatorCompiler: multipartValidator,
    preHandler: uploads,
    schema: {
      tags, summary: '上传证据 / attach evidence', operationId: 'addAttachment', consumes: ['multipart/form-data'],
      description: '照片、截图、PDF、语音；按内容识别类型，无法解码的图片 415，图片去除 EXIF/GPS；大小按类型限制、像素数有上限（413）；每人每分钟上传次数有限（429）/ ' +
        'photos, screenshots, PDFs, voice notes: type told by the bytes (415 otherwise, and for an image that cannot be decoded), image metadata (EXIF, GPS) removed, ' +
        'size limited per kind and images to a number of pixels (413), uploads per user per minute limited (429, RATE_LIMIT_UPLOADS_PER_MINUTE).',
      params: IdParams, body: UploadBody,
      response: { 201: AttachmentSchema, ...errors(400, 401, 403, 404, 413, 415) },
    },
  }, async (request, reply) => {
    const saved = await receiveFile(request, maxUploadBytes, (upload) => attachments.attach(request.caller, request.params.id, upload));
    return reply.status(201).send(saved);
  });

  app.get('/cases/:id/attachments', {
    schema: {
      tags, summary: '证据列表 / list a case\'s attachments', operationId: 'listAttachments',
      params: IdParams, response: { 200: Type.Object({ items: Type.Array(AttachmentSchema) }), ...errors(400, 401, 403, 404) },
    },
  }, async (request) => ({ items: await attachments.list(request.caller, request.params.id) }));

  app.get('/attachments/:id', {
    schema: {
      tags, summary: '下载证据 / download an attachment', operationId: 'getAttachment',
      description: '与其案件同一范围（范围外 404）/ the same scope as its case (404 outside it)',
      params: IdParams, response: { 200: FileBody, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const { attachment, body } = await attachments.open(request.caller, request.params.id);
    return reply.header('content-type', attachment.contentType)
      .header('content-disposition', contentDisposition(attachment.name))
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}

/** The one file of a multipart upload (field `file`), handed to `keep`; refusals as our answers. */
export async function receiveFile<T>(request: FastifyRequest, maxUploadBytes: number, keep: (upload: Upload) => Promise<T>): Promise<T> {
  const file = await request.file({ limits: { files: 1, fileSize: maxUploadBytes, fields: 5, parts: 6 } }).catch(multipartRefusal(maxUploadBytes));
  if (!file || file.fieldname !== 'file') throw new BadRequest('file: 需要一个名为 file 的文件 / send one file in the multipart field `file`');
  return keep({ filename: file.filename, file: file.file }).catch((error: { code?: string }) => {
    file.file.resume(); // an upload refused before it was read is drained, so the connection stays usable
    throw error.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge(`文件不能超过 ${toMb(maxUploadBytes)} MB / a file may be at most ${toMb(maxUploadBytes)} MB`) : error;
  });
}

/** Multipart's own refusals as our answers: too large names the limit, anything else is a bad upload. */
function multipartRefusal(maxBytes: number) {
  return (error: { code?: string; message?: string }): never => {
    if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(`文件不能超过 ${toMb(maxBytes)} MB / a file may be at most ${toMb(maxBytes)} MB`);
    throw new BadRequest(`file: 需要 multipart/form-data 上传 / send the file as multipart/form-data (${error.code ?? 'invalid'})`);
  };
}

/** `attachment`, with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
