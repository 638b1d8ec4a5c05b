/**
 * How an export goes on the wire: CSV (RFC 4180, the read API's cells) or NDJSON, chosen by
 * `format` or `Accept`; gzip when `Accept-Encoding` allows it. Rows arrive as an async iterable
 * read page by page from the store, and leave through a Node stream with backpressure: a slow
 * client pauses the reads, so memory stays constant whatever the range.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExportFormat } from '../../schemas/exports';
import { csvCell } from '../csv';

/** One column of an export: its header, the NDJSON field, and the cell of a row. */
export interface ExportColumn<R> {
  readonly name: string;
  readonly cell: (row: R) => unknown;
}

export function exportFormat(request: FastifyRequest): ExportFormat {
  const format = (request.query as { format?: ExportFormat }).format;
  if (format) return format;
  const accept = request.headers.accept ?? '';
  return /\bapplication\/(x-)?ndjson\b/i.test(accept) ? 'ndjson' : 'csv';
}

/** gzip unless the client refuses it (`gzip;q=0`) or never offered it. */
export function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

/** Rows per chunk written: enough to amortise the stream's overhead, small enough to stay flat. */
const ROWS_PER_CHUNK = 500;

async function* encode<R>(rows: AsyncIterable<R>, columns: readonly ExportColumn<R>[], format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield `${columns.map((c) => csvCell(c.name)).join(',')}\r\n`;
  let chunk: string[] = [];
  for await (const row of rows) {
    if (format === 'csv') chunk.push(`${columns.map((c) => csvCell(c.cell(row))).join(',')}\r\n`);
    else {
      const object: Record<string, unknown> = {};
      for (const c of columns) {
        const value = c.cell(row);
        if (value !== undefined) object[c.name] = value;
      }
      chunk.push(`${JSON.stringify(object)}\n`);
    }
    if (chunk.length >= ROWS_PER_CHUNK) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/**
 * Sends the rows as the stream of an export. `position` (the log position the export covers)
 * goes in `X-Stocktide-Position`. An error after the first byte can no longer become a
 * problem+json answer: the stream is cut, and the client sees a truncated body.
 */
export function sendExport<R>(
  request: FastifyRequest, reply: FastifyReply,
  options: { name: string; position: string; columns: readonly ExportColumn<R>[]; rows: AsyncIterable<R> },
): FastifyReply {
  const format = exportFormat(request);
  const body = Readable.from(encode(options.rows, options.columns, format), { objectMode: false });
  reply
    .header('x-stocktide-position', options.position)
    .header('content-disposition', `attachment; filename="${options.name}.${format}"`)
    .header('vary', 'accept, accept-encoding')
    .type(CONTENT_TYPES[format]);
  if (!acceptsGzip(request)) return reply.send(body);
  const gzip = createGzip();
  pipeline(body, gzip).catch((error: unknown) => request.log.warn({ err: error }, 'export stream ended early'));
  return reply.header('content-encoding', 'gzip').send(gzip);
}
