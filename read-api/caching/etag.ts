/**
 * `ETag` on every successful read and `304 Not Modified` on a matching `If-None-Match`
 * (RFC 9110 §13.1.2), so a client polling a read it already has gets an empty answer.
 *
 * Two validators:
 * - Reads that are a function of the read models, the caller and the query alone (route-meta.ts
 *   rows with `etag: 'position'`) use the read position: `"p<position>.<variant>"`, where the
 *   variant digests every projector's checkpoint, the URL, the caller's role, locations and
 *   grants, and the format asked. A repeat at the same checkpoints answers 304 *before the
 *   handler runs*: no read model is read. Every checkpoint, not only the lowest (the position
 *   answers report): a faster projector commits new data while the lowest stays put. A commit
 *   moves its checkpoint in the same transaction as its data, and the tag is taken before the
 *   handler reads, so an answer is never older than its tag.
 * - Every other GET (clock-dependent alerts, POS health, the document, ...) hashes its body.
 *
 * Not @fastify/etag: it tags every method and status (a 400 could turn into a 304), and it
 * cannot skip the handler.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface EtagDeps {
  currentPosition(): bigint;
  /** Every projector's committed checkpoint (read store), in a fixed order. */
  checkpoints(): Promise<readonly bigint[]>;
  /** Route keys (`GET /api/stock`) whose answers the read position validates. */
  readonly positionValidated: ReadonlySet<string>;
}

const digest = (data: string | Buffer): string => createHash('sha1').update(data).digest('base64url').slice(0, 22);

/** True when `If-None-Match` lists `etag` (weak comparison, as RFC 9110 asks for GET) or `*`. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

function variantOf(request: FastifyRequest, checkpoints: readonly bigint[]): string {
  const p = request.principal;
  const who = p ? `${p.role}|${p.username}|${[...p.locations].sort().join(',')}|${[...(p.permissions ?? [])].sort().join(',')}` : '-';
  return digest(`${checkpoints.join(',')}\n${request.url}\n${who}\n${request.headers.accept ?? ''}`);
}

const isCacheableRead = (request: FastifyRequest): boolean => request.method === 'GET' || request.method === 'HEAD';

export function installEtags(app: FastifyInstance, deps: EtagDeps): void {
  // preHandler: after authentication (onRequest) and validation, before the route's own
  // handlers (minPosition waits there; a request carrying minPosition skips this fast path).
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isCacheableRead(request) || !deps.positionValidated.has(`GET ${request.routeOptions.url}`)) return;
    if ((request.query as { minPosition?: unknown } | undefined)?.minPosition !== undefined) return;
    const position = deps.currentPosition();
    const etag = `"p${position}.${variantOf(request, await deps.checkpoints())}"`;
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    // An async hook that answers returns the reply, so the handler does not run.
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.header('x-stocktide-position', position.toString()).code(304).send();
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!isCacheableRead(request) || reply.statusCode !== 200) return payload;
    if (!(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload; // streams: exports, SSE, files
    let etag = reply.getHeader('etag');
    if (etag === undefined) {
      etag = `"${digest(payload)}"`;
      reply.header('etag', etag);
      if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-cache');
    }
    if (matchesIfNoneMatch(request.headers['if-none-match'], String(etag))) {
      reply.code(304);
      return '';
    }
    return payload;
  });
}
