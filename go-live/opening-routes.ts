/**
 * `POST /api/stock/opening-balances`: `text/csv` (header `location,sku,quantity,unitCost`, `?asOf=`)
 * or JSON `{"asOf","lines":[{"locationId","sku","quantity","unitCost"?}]}` → 200
 * `{"imported","unchanged","errors":[{"line","message"}]}`. Good rows are kept, bad ones listed;
 * a file with no good row at all is a 400 listing them. Importing the same file again changes nothing.
 * A location whose opening balances already have another T refuses the whole file (409, field
 * `asOf`, naming the T to use), appending nothing. `?dryRun=true` answers the same checks
 * (`valid` rows, every bad one) and appends nothing: the dashboard's preview before an upload.
 */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { OpeningBalancesAnswer, OpeningBalancesJson, OpeningBalancesQuery } from '../schemas/go-live';
import { assertValid, SchemaViolation } from '../schemas/validation';
import { actorOf, canAccessLocation, MANAGERS } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import type { StockCommands } from '../write-side/commands/types';
import { recordOpeningBalances } from './opening-balances';
import { OpeningDateDiffers, OpeningDates } from './opening-date';
import type { EventStore } from '../write-side/eventstore/port';
import { parseOpeningCsv, validateOpeningLines, type RawLine } from './opening-csv';

const BODY_LIMIT = 10 * 1024 * 1024;

export async function openingBalanceRoutes(app: FastifyInstance, deps: { commands: StockCommands; eventStore: EventStore; clock?: () => Date }): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const dates = new OpeningDates(deps.eventStore);
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_r, body, done) => done(null, body));

  app.post<{ Querystring: { asOf?: string; dryRun?: boolean }; Body: string | FromSchema<typeof OpeningBalancesJson> }>('/api/stock/opening-balances', {
    // JSON keeps the app's body limit (413 above it); the text/csv parser allows files up to 10 MiB.
    config: { access: { roles: MANAGERS } },
    schema: {
      tags: ['go-live'], summary: 'Opening balances as of a cut-over instant (CSV or JSON), recorded as counts', querystring: OpeningBalancesQuery,
      response: { 200: OpeningBalancesAnswer },
    },
  }, async (request) => {
    let rows: RawLine[];
    let errors: Array<{ line: number; message: string }>;
    let asOf: string | undefined = request.query.asOf;
    if (typeof request.body === 'string') {
      ({ rows, errors } = parseOpeningCsv(request.body));
    } else {
      try {
        assertValid<FromSchema<typeof OpeningBalancesJson>>(OpeningBalancesJson, request.body, 'opening balances');
      } catch (error) {
        if (error instanceof SchemaViolation) throw new HttpProblem(400, 'body does not match the opening balances schema', { errors: error.errors });
        throw error;
      }
      asOf = request.body.asOf ?? asOf;
      rows = request.body.lines.map((l, i) => ({ line: i + 1, locationId: l.locationId, sku: l.sku, quantity: l.quantity, ...(l.unitCost !== undefined && { unitCost: l.unitCost }) }));
      errors = [];
    }
    const now = clock();
    const at = asOf ?? now.toISOString();
    const checked = await validateOpeningLines(deps.commands, rows);
    const outside = checked.good.filter((l) => !canAccessLocation(request, l.locationId));
    const good = checked.good.filter((l) => canAccessLocation(request, l.locationId));
    const allErrors = [...errors, ...checked.errors, ...outside.map((l) => ({ line: l.line ?? 0, message: `location ${l.locationId} is outside your scope` }))]
      .sort((a, b) => a.line - b.line);
    if (good.length === 0 && allErrors.length > 0) {
      throw new HttpProblem(400, `no opening balance could be taken: ${allErrors.length} bad row(s)`, { errors: allErrors.map((e) => ({ instancePath: `/lines/${e.line}`, message: e.message, line: e.line })) });
    }
    const ctx = { actor: actorOf(request), source: 'api', correlationId: request.id, now };
    let result;
    try {
      if (request.query.dryRun) {
        await dates.check(good.map((l) => l.locationId), at, now.toISOString());
        return { imported: 0, unchanged: 0, valid: good.length, dryRun: true, asOf: at, errors: allErrors };
      }
      result = await recordOpeningBalances(deps.commands, dates, 'opening', at, good, ctx);
    } catch (error) {
      if (!(error instanceof OpeningDateDiffers)) throw error;
      throw new HttpProblem(409, error.message, { errors: [{ instancePath: '/asOf', message: `must be ${error.established} (the cut-over of ${error.locationId})`, established: error.established, locationId: error.locationId }] });
    }
    return {
      imported: result.imported, unchanged: result.unchanged, asOf: at,
      errors: [...allErrors, ...result.errors].sort((a, b) => a.line - b.line),
      ...(result.position !== undefined && { position: result.position.toString() }),
    };
  });
}
