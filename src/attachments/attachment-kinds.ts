/**
 * What may be attached, told by the bytes (magic numbers, `file-type`), never by the name or the
 * client's Content-Type: photos and screenshots, PDFs, voice notes. Each kind has its size limit.
 */
import { fileTypeFromFile } from 'file-type';
import { PayloadTooLarge, UnsupportedMediaType } from '../errors.js';

export type AttachmentKind = 'image' | 'document' | 'audio';
export interface AttachmentLimits { imageBytes: number; documentBytes: number; audioBytes: number }

const MB = 1024 * 1024;
export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { imageBytes: 10 * MB, documentBytes: 10 * MB, audioBytes: 20 * MB };

/** Detected extension → the kind and the content type it is stored and served with. */
const ACCEPTED: Record<string, { kind: AttachmentKind; contentType: string }> = {
  jpg: { kind: 'image', contentType: 'image/jpeg' },
  png: { kind: 'image', contentType: 'image/png' },
  webp: { kind: 'image', contentType: 'image/webp' },
  pdf: { kind: 'document', contentType: 'application/pdf' },
  aac: { kind: 'audio', contentType: 'audio/aac' },
  m4a: { kind: 'audio', contentType: 'audio/mp4' },
  mp3: { kind: 'audio', contentType: 'audio/mpeg' },
  ogg: { kind: 'audio', contentType: 'audio/ogg' },
  oga: { kind: 'audio', contentType: 'audio/ogg' },
  opus: { kind: 'audio', contentType: 'audio/ogg' },
  amr: { kind: 'audio', contentType: 'audio/amr' },
  // A browser's voice recording (MediaRecorder); the container cannot say audio from video by its magic bytes.
  webm: { kind: 'audio', contentType: 'audio/webm' },
};

export interface DetectedFile { kind: AttachmentKind; contentType: string; ext: string }

const ACCEPTED_LIST = 'JPEG, PNG, WebP, PDF, AAC/M4A, MP3, OGG/Opus, AMR, WebM';

export async function detectFile(file: string): Promise<DetectedFile> {
  const type = await fileTypeFromFile(file);
  if (type && (type.ext === 'heic' || type.ext === 'heif' || type.ext === 'avif')) {
    // The prebuilt image library cannot decode HEVC, so the metadata could not be stripped.
    throw new UnsupportedMediaType('file: 不支持 HEIC 照片，请以 JPEG 上传（手机“最兼容”格式）/ HEIC photos are not accepted: upload JPEG (the phone\'s "most compatible" setting)');
  }
  const accepted = type ? ACCEPTED[type.ext] : undefined;
  if (!type || !accepted) {
    throw new UnsupportedMediaType(`file: 文件内容不是允许的类型（${ACCEPTED_LIST}）/ the file's content is not an accepted type (${ACCEPTED_LIST})${type ? `: found ${type.mime}` : ''}`);
  }
  return { ...accepted, ext: type.ext === 'opus' || type.ext === 'oga' ? 'ogg' : type.ext };
}

const KIND_NAMES: Record<AttachmentKind, [string, string, keyof AttachmentLimits]> = {
  image: ['图片', 'images', 'imageBytes'], document: ['PDF 文件', 'PDF files', 'documentBytes'], audio: ['语音', 'voice notes', 'audioBytes'],
};

export function checkSize(kind: AttachmentKind, size: number, limits: AttachmentLimits): void {
  const [zh, en, key] = KIND_NAMES[kind];
  const limit = limits[key];
  if (size > limit) throw tooLarge(`${zh}不能超过 ${toMb(limit)} MB / ${en} may be at most ${toMb(limit)} MB`);
}

/**
 * Images are decoded to be re-encoded without metadata: a small file may say it is 30000×30000
 * (a "pixel bomb", gigabytes once decoded). 50 megapixels is more than a phone saves by default.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Told by the image's header, before any pixel is decoded. */
export function checkPixels(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw tooLarge(`图片不能超过 ${MAX_IMAGE_PIXELS / 1_000_000} 百万像素，此图为 ${width}×${height} / images may be at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels, this one is ${width}×${height}`);
  }
}

/** An image whose bytes start like JPEG, PNG or WebP but do not decode (truncated, corrupt). */
export function undecodable(ext: string): UnsupportedMediaType {
  return new UnsupportedMediaType(`file: 图片已损坏或不完整，无法读取（${ext.toUpperCase()}）/ the image cannot be decoded (a damaged or truncated ${ext.toUpperCase()} file)`);
}

/** The largest file of any kind: the upload stops reading beyond it. */
export function largestLimit(limits: AttachmentLimits): number {
  return Math.max(limits.imageBytes, limits.documentBytes, limits.audioBytes);
}

export function tooLarge(what: string): PayloadTooLarge {
  return new PayloadTooLarge(`file: ${what}`);
}

export function toMb(bytes: number): string {
  return String(Math.round((bytes / MB) * 10) / 10);
}
