/**
 * Polls over HTTP (CONTRACT.md, "Staff voice and audit"): managers create polls for their
 * locations, the people a poll targets answer it (a changed answer replaces theirs), managers
 * read results for their locations as JSON or CSV.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { ReadStore } from '../projections/readstore/port';
import { awaitMinPosition, respond, type ConsistencyDeps } from '../read-api/respond';
import { AnswerPoll, CreatePoll, PollIdParams, PollsQuery, ResultsQuery } from '../schemas/polls';
import { ALL_ROLES, Forbidden, MANAGERS, assertLocationAccess, principalOf, type Role } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { decideOnStream } from '../write-side/commands/decide-on-stream';
import { newId } from '../write-side/commands/ids';
import type { EventStore } from '../write-side/eventstore/port';
import { NotTargeted, isOpen, pollDecider } from './decide-poll';
import { POLLS, type PollDoc } from './poll-projection';
import { canAnswer, canSeeResults, myAnswer, resultsFor } from './poll-read';
import { pollStream } from './poll-state';

export interface PollRouteDeps extends ConsistencyDeps {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly clock?: () => Date;
}

/** Who reads results: managers (their locations), admins and analysts (the chain). */
export const RESULT_READERS: readonly Role[] = ['admin', 'manager', 'analyst'];

const metadataOf = (request: FastifyRequest, actorId: string) => ({
  actor: { kind: 'user' as const, id: actorId }, source: 'api', correlationId: request.id,
});

/** Series key of a poll without one: its question, so asking the same question again makes a trend. */
const seriesOf = (question: string) => question.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 100);

export async function pollRoutes(app: FastifyInstance, deps: PollRouteDeps): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const preHandler = awaitMinPosition(deps);
  const pollOf = async (id: string): Promise<PollDoc> => {
    const poll = await deps.readStore.get<PollDoc>(POLLS.polls, id);
    if (!poll) throw new HttpProblem(404, `no poll ${id}`, { code: 'unknown-poll' });
    return poll;
  };

  app.post<{ Body: FromSchema<typeof CreatePoll> }>('/api/polls', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['polls'], summary: 'Create a poll for roles and/or locations', body: CreatePoll },
  }, async (request, reply) => {
    const p = principalOf(request);
    const { id, ...b } = request.body;
    // A manager polls their own people: the locations default to theirs and may not leave them.
    const locations = b.locations ?? (p.role === 'manager' ? [...p.locations] : undefined);
    if (locations) assertLocationAccess(request, ...locations);
    const now = clock().toISOString();
    const pollId = id ?? newId();
    const result = await decideOnStream(deps.eventStore, pollStream(pollId), pollDecider, {
      type: 'CreatePoll', pollId, question: b.question, kind: b.kind, opensAt: b.opensAt ?? now, anonymous: b.anonymous ?? false,
      allowComment: b.allowComment ?? true, series: b.series ?? seriesOf(b.question), createdBy: p.username, now,
      ...(b.choices && { choices: b.choices }), ...(b.roles && { roles: b.roles }), ...(locations && { locations }),
      ...(b.closesAt && { closesAt: b.closesAt }),
    }, metadataOf(request, p.username));
    return reply.code(201).send({ id: pollId, position: result.position.toString(), ...(result.duplicate && { duplicate: true }) });
  });

  app.get<{ Querystring: FromSchema<typeof PollsQuery> }>('/api/polls', {
    config: { access: { roles: ALL_ROLES } }, preHandler,
    schema: {
      tags: ['polls'], querystring: PollsQuery,
      summary: '`open=true`: the polls the caller may answer now (with their own answer); otherwise the polls they may answer or manage',
    },
  }, async (request) => {
    const p = principalOf(request);
    const now = clock();
    const all = await deps.readStore.find<PollDoc>(POLLS.polls, { orderBy: [['positionKey', 'desc']], limit: 500 });
    const manages = RESULT_READERS.includes(p.role);
    const items = [];
    for (const poll of all) {
      const answerable = canAnswer(p, poll, now);
      if (request.query.open === true ? !answerable : !(answerable || (manages && canSeeResults(p, poll)))) continue;
      const mine = answerable ? await myAnswer(deps.readStore, p, poll) : undefined;
      // Those who only answer do not see how many others did.
      const { _id, positionKey: _k, position: _p, answers, ...view } = poll;
      items.push({
        ...view, id: poll.pollId, open: isOpen(poll, now.toISOString()), answerable, ...(manages && { answers }),
        ...(mine && { myAnswer: { value: mine.value, ...(mine.comment !== undefined && { comment: mine.comment }), answeredAt: mine.answeredAt } }),
      });
    }
    return { items, position: deps.currentPosition().toString() };
  });

  app.post<{ Params: FromSchema<typeof PollIdParams>; Body: FromSchema<typeof AnswerPoll> }>('/api/polls/:id/answers', {
    config: { access: { roles: ALL_ROLES } },
    schema: { tags: ['polls'], summary: 'Answer a poll; answering again replaces your earlier answer', params: PollIdParams, body: AnswerPoll },
  }, async (request, reply) => {
    const p = principalOf(request);
    const streamId = pollStream(request.params.id);
    try {
      const result = await decideOnStream(deps.eventStore, streamId, pollDecider, {
        type: 'AnswerPoll', pollId: request.params.id, username: p.username, role: p.role, locations: p.locations,
        value: request.body.value, ...(request.body.comment !== undefined && { comment: request.body.comment }), now: clock().toISOString(),
      }, (events) => metadataOf(request, events.some((e) => e.type === 'PollAnswered' && e.data.respondent !== p.username) ? 'anonymous' : p.username));
      const replaced = result.events.some((e) => e.type === 'PollAnswered' && e.data.replaced);
      return reply.code(201).send({
        id: request.params.id, position: result.position.toString(), ...(replaced && { replaced: true }), ...(result.duplicate && { duplicate: true }),
      });
    } catch (error) {
      if (error instanceof NotTargeted) throw new Forbidden(error.message);
      throw error;
    }
  });

  app.get<{ Params: FromSchema<typeof PollIdParams>; Querystring: FromSchema<typeof ResultsQuery> }>('/api/polls/:id/results', {
    config: { access: { roles: RESULT_READERS } }, preHandler,
    schema: {
      tags: ['polls'], params: PollIdParams, querystring: ResultsQuery,
      summary: 'Results: answers, distribution, score (NPS or mean rating), per location, trend; CSV with Accept: text/csv',
    },
  }, async (request, reply) => {
    const p = principalOf(request);
    const poll = await pollOf(request.params.id);
    if (!canSeeResults(p, poll)) throw new Forbidden(`poll ${poll.pollId} is not for your locations`);
    const results = await resultsFor(deps.readStore, p, poll);
    const body = { pollId: poll.pollId, question: poll.question, kind: poll.kind, anonymous: poll.anonymous, ...results, position: deps.currentPosition().toString() };
    type Row = { scope: string; answers: number; score?: number; value: string; count: number };
    const rows: Row[] = [
      ...results.distribution.map((d) => ({ scope: 'all', answers: results.answers, ...(results.score !== undefined && { score: results.score }), ...d })),
      ...results.byLocation.flatMap((l) => l.distribution.map((d) => ({ scope: l.locationId, answers: l.answers, ...(l.score !== undefined && { score: l.score }), ...d }))),
      ...(poll.kind === 'text' ? (results.responses ?? []).map((r) => ({ scope: r.locationId ?? 'all', answers: 1, value: String(r.value), count: 1 })) : []),
    ];
    return respond(request, reply, body, {
      name: `poll-${poll.pollId}`, rows,
      columns: [['scope', (r) => r.scope], ['answers', (r) => r.answers], ['score', (r) => r.score], ['value', (r) => r.value], ['count', (r) => r.count]],
    });
  });
}
