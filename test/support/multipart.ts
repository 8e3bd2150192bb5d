/** multipart/form-data bodies for `app.inject`, as a handheld sends them. */
import { randomBytes } from 'node:crypto';

export interface FormFile {
  /** the part's name (`photos`) */
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * Encodes text fields (strings as they are, anything else as JSON text; entries may repeat a name) and
 * files. `boundary` is random unless given.
 */
export function multipartBody(
  fields: Record<string, unknown> | [string, unknown][],
  files: FormFile[],
  boundary = `----gridwatch${randomBytes(8).toString('hex')}`,
): { payload: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  const head = (disposition: string, type?: string) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`,
    );
  const quoted = (s: string) => `"${s.replace(/["\\\r\n]/g, '_')}"`;
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields)) {
    if (value === undefined) continue;
    chunks.push(head(`name=${quoted(name)}`));
    chunks.push(Buffer.from(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))));
    chunks.push(Buffer.from('\r\n'));
  }
  for (const f of files) {
    chunks.push(head(`name=${quoted(f.field)}; filename=${quoted(f.filename)}`, f.contentType));
    chunks.push(f.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
