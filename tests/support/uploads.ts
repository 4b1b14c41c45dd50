/** Multipart uploads for the attachment tests, and sample files whose bytes say what they are. */
import sharp from 'sharp';
import type { App } from '../../src/http/app.js';

export function multipart(field: string, filename: string, bytes: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----evidence${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return { payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function upload(app: App, token: string, caseId: string, filename: string, bytes: Buffer, field = 'file') {
  const body = multipart(field, filename, bytes);
  const res = await app.inject({
    method: 'POST', url: `/api/v1/cases/${caseId}/attachments`, payload: body.payload,
    headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType },
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

/** A photo as a phone takes it: EXIF with the maker and the GPS position. */
export function photoWithGps(size = 16): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: 'red' } }).jpeg().withExif({
    IFD0: { Make: 'PhoneCo', Model: 'Camera X' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2700/100', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 0/1' },
  }).toBuffer();
}

/** Random pixels compress badly: a PNG of about `bytes`. */
export function noisyPng(side: number): Promise<Buffer> {
  const pixels = Buffer.alloc(side * side * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

/** The GPS IFD pointer (tag 0x8825) in either byte order. */
export function hasGpsIfd(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

export const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(2048)]);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const MP3_FRAME = Buffer.from([0xFF, 0xFB, 0x90, 0x64]);
export const MP3 = Buffer.concat([MP3_FRAME, Buffer.alloc(413), MP3_FRAME, Buffer.alloc(413), MP3_FRAME, Buffer.alloc(2000)]);
export const AMR = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(4000, 0x3c)]);
/** The start of an iPhone photo (ISO BMFF, brand heic). */
export const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic'), Buffer.alloc(3000)]);
