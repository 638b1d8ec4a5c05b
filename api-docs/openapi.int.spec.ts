/**
 * The served OpenAPI document is a contract a BI team can generate a client from: valid
 * OpenAPI 3.1 (swagger-parser), every operation named, summarised, tagged and answering its
 * problems as problem+json, every row of route-meta.ts a real route. Redocly's lint and the
 * typed client are checked by `npm run openapi:check` (.ci/run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../server/app';
import { ROUTE_META } from './route-meta';

type Operation = { operationId?: string; summary?: string; tags?: string[]; responses: Record<string, { $ref?: string }> };
type Document = { openapi: string; servers?: unknown[]; paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, { content: Record<string, unknown> }> } };

let built: BuiltApp;
let dataDir: string;
let document: Document;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stocktide-openapi-'));
  built = await buildApp({ dataDir, logger: false, adminPassword: 'openapi-test-password-1' });
  const answer = await built.app.inject({ method: 'GET', url: '/docs/json' });
  expect(answer.statusCode).toBe(200);
  document = answer.json();
});

afterAll(async () => {
  await built?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const operations = (): Array<{ key: string; operation: Operation }> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([method]) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })));

describe('the served OpenAPI document', () => {
  it('is valid OpenAPI 3.1 with servers', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers?.length).toBeGreaterThan(0);
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('names, summarises and tags every operation (a route without a row in api-docs/route-meta.ts is listed here)', () => {
    const lacking = operations().filter(({ operation }) => !operation.operationId || !operation.summary || !operation.tags?.length).map(({ key }) => key);
    expect(lacking).toEqual([]);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents problem+json answers with examples on every operation', () => {
    for (const status of ['400', '401', '403', '404', '409', '413', '429']) {
      const name = Object.keys(document.components.responses).find((n) => JSON.stringify(document.components.responses[n]).includes(`"status":${status}`));
      expect(name, `components.responses for ${status}`).toBeDefined();
      const content = document.components.responses[name!]!.content['application/problem+json'] as { example?: { status?: number } };
      expect(content.example?.status).toBe(Number(status));
    }
    const without4xx = operations().filter(({ operation }) => !Object.keys(operation.responses).some((s) => s.startsWith('4'))).map(({ key }) => key);
    expect(without4xx).toEqual([]);
    expect(document.paths['/api/transfers/{id}/dispatch']!.post!.responses['409']!.$ref).toBe('#/components/responses/Conflict');
  });

  it('uses one vocabulary for filters and paging: locationId, sku, from, to, asOf, cursor, limit', () => {
    const synonyms = /^(location|loc|store|storeId|product|productId|item|start|end|since|until|begin|fromDate|toDate|dateFrom|dateTo|at|page|pageSize|size|offset|after|before|next)$/i;
    const offenders: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      const names = ((item.get as { parameters?: Array<{ in: string; name: string }> } | undefined)?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const name of names) if (synonyms.test(name)) offenders.push(`${path}?${name}`);
      if (names.includes('cursor') && !names.includes('limit') && !path.startsWith('/api/audit')) offenders.push(`${path}: cursor without limit`);
    }
    expect(offenders).toEqual([]);
  });

  it('has a real route behind every row of the metadata table', () => {
    const stale = Object.keys(ROUTE_META).filter((key) => {
      const [method, url] = key.split(' ') as [string, string];
      return !built.app.hasRoute({ method: method as 'GET', url });
    });
    expect(stale).toEqual([]);
  });

  it('keeps CONTRACT.md\'s legacy CSV import path served, out of the document (it is ambiguous)', () => {
    expect(built.app.hasRoute({ method: 'POST', url: '/api/pos/:connectionId/import' })).toBe(true);
    expect(document.paths['/api/pos/{connectionId}/import']).toBeUndefined();
    expect(document.paths['/api/pos/connections/{connectionId}/import']?.post?.operationId).toBe('importPosCsv');
  });
});
