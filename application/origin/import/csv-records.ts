import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

/**
 * RFC 4180 records from a byte stream, one at a time (memory flat in the file's length): quoted fields with
 * "" escapes and line breaks inside quotes, CRLF or LF, a UTF-8 BOM dropped. Excel in a Chinese locale saves
 * CSV as GB18030: a first chunk that is not valid UTF-8 is decoded as GB18030 from the start.
 */
export async function* csvRecords(input: Readable): AsyncGenerator<string[]> {
  let decoder: TextDecoder | null = null;
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let first = true;
  let pendingCr = false;

  const lines: string[][] = [];
  const take = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (first) {
        first = false;
        if (ch === '\uFEFF') continue;
      }
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === text.length) {
            // The quote may be the first of a "" split across chunks: decide on the next chunk.
            afterQuote = true;
            quoted = false;
          } else quoted = false;
        } else field += ch;
        continue;
      }
      if (afterQuote) {
        afterQuote = false;
        if (ch === '"') {
          field += '"';
          quoted = true;
          continue;
        }
      }
      if (pendingCr) {
        pendingCr = false;
        if (ch === '\n') continue;
      }
      if (ch === '"' && field === '') quoted = true;
      else if (ch === ',') {
        record.push(field);
        field = '';
      } else if (ch === '\n' || ch === '\r') {
        record.push(field);
        lines.push(record);
        record = [];
        field = '';
        pendingCr = ch === '\r';
      } else field += ch;
    }
  };

  for await (const chunk of input) {
    const bytes = chunk as Buffer;
    if (!decoder) {
      try {
        // stream: a character cut at the chunk's end is held back, not taken for invalid UTF-8.
        new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
        decoder = new TextDecoder('utf-8');
      } catch {
        decoder = new TextDecoder('gb18030');
      }
    }
    take(decoder.decode(bytes, { stream: true }));
    while (lines.length > 0) yield lines.shift()!;
  }
  take(decoder?.decode() ?? '');
  afterQuote = false;
  if (field !== '' || record.length > 0) {
    record.push(field);
    lines.push(record);
  }
  while (lines.length > 0) yield lines.shift()!;
}
