import type { AttachmentType } from './attachment-schemas';

/** Bytes needed to recognise every allowed type (WebP: "RIFF" size "WEBP"; MP4: size "ftyp" brand). */
export const SNIFF_BYTES = 12;

const startsWith = (b: Buffer, bytes: number[], at = 0) => b.length >= at + bytes.length && bytes.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * What the first bytes of a file say it is (its magic number), among the allowed types; null when they say
 * none of them. A declared Content-Type must agree, so a script renamed .jpg is refused, not stored.
 */
export function sniffType(head: Buffer): AttachmentType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('ftyp'), 4)) return 'video/mp4';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  return null;
}
