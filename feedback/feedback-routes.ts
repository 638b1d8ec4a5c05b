/**
 * Feedback over HTTP: anyone signed in sends feedback; managers triage what their stores'
 * people sent (admins: everything); everyone sees the status of their own items.
 */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { ReadStore } from '../projections/readstore/port';
import { awaitMinPosition, type ConsistencyDeps } from '../read-api/respond';
import { FeedbackIdParams, FeedbackQuery, SetFeedbackStatus, SubmitFeedback } from '../schemas/feedback';
import { ALL_ROLES, Forbidden, MANAGERS, principalOf, type Principal } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { decideOnStream } from '../write-side/commands/decide-on-stream';
import { newId } from '../write-side/commands/ids';
import type { EventStore } from '../write-side/eventstore/port';
import { feedbackDecider, feedbackStream, type FeedbackSubmittedData } from './decide-feedback';
import { FEEDBACK, type FeedbackDoc } from './feedback-projection';

export interface FeedbackRouteDeps extends ConsistencyDeps {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly clock?: () => Date;
}

/** A manager triages feedback from people of their locations (and their own); admins all of it. */
export function canTriage(p: Principal, doc: Pick<FeedbackDoc, 'author' | 'locations'>): boolean {
  if (p.role === 'admin') return true;
  if (p.role !== 'manager') return false;
  return doc.author === p.username || doc.locations.some((l) => p.locations.includes(l));
}

const view = ({ _id: _i, positionKey: _k, position: _p, ...doc }: FeedbackDoc) => ({ ...doc, id: doc.feedbackId });

export async function feedbackRoutes(app: FastifyInstance, deps: FeedbackRouteDeps): Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  const preHandler = awaitMinPosition(deps);

  app.post<{ Body: FromSchema<typeof SubmitFeedback> }>('/api/feedback', {
    config: { access: { roles: ALL_ROLES } },
    schema: { tags: ['feedback'], summary: 'Send feedback (bug, idea, praise) from a screen', body: SubmitFeedback },
  }, async (request, reply) => {
    const p = principalOf(request);
    const { id, ...b } = request.body;
    const feedbackId = id ?? newId();
    const now = clock().toISOString();
    const result = await decideOnStream(deps.eventStore, feedbackStream(feedbackId), feedbackDecider, {
      type: 'SubmitFeedback', feedbackId, category: b.category, text: b.text, author: p.username, role: p.role,
      locations: [...p.locations], ...(b.screen && { screen: b.screen }), ...(b.appVersion && { appVersion: b.appVersion }), now,
    }, { actor: { kind: 'user', id: p.username }, source: 'api', correlationId: request.id });
    return reply.code(201).send({ id: feedbackId, position: result.position.toString(), ...(result.duplicate && { duplicate: true }) });
  });

  app.get<{ Querystring: FromSchema<typeof FeedbackQuery> }>('/api/feedback', {
    config: { access: { roles: ALL_ROLES } }, preHandler,
    schema: { tags: ['feedback'], querystring: FeedbackQuery, summary: 'Managers: the triage list of their locations; everyone else (or `mine=true`): their own items' },
  }, async (request) => {
    const p = principalOf(request);
    const { status, mine } = request.query;
    const own = mine === true || (p.role !== 'admin' && p.role !== 'manager');
    const docs = await deps.readStore.find<FeedbackDoc>(FEEDBACK.items, {
      where: { ...(own && { author: p.username }), ...(status && { status }) }, orderBy: [['positionKey', 'desc']], limit: 500,
    });
    return { items: docs.filter((d) => own || canTriage(p, d)).map(view), position: deps.currentPosition().toString() };
  });

  app.post<{ Params: FromSchema<typeof FeedbackIdParams>; Body: FromSchema<typeof SetFeedbackStatus> }>('/api/feedback/:id/status', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['feedback'], summary: 'Triage: new -> planned -> done / wont_do', params: FeedbackIdParams, body: SetFeedbackStatus },
  }, async (request, reply) => {
    const p = principalOf(request);
    // From the log, not the read model: a triage right after the submission must not 404.
    const [first] = await deps.eventStore.readStream(feedbackStream(request.params.id), { maxCount: 1 });
    if (!first) throw new HttpProblem(404, `no feedback ${request.params.id}`, { code: 'unknown-feedback' });
    const doc = first.data as FeedbackSubmittedData;
    if (!canTriage(p, doc)) throw new Forbidden(`feedback ${doc.feedbackId} is not from your locations`);
    const result = await decideOnStream(deps.eventStore, feedbackStream(doc.feedbackId), feedbackDecider, {
      type: 'SetFeedbackStatus', feedbackId: doc.feedbackId, status: request.body.status, by: p.username, now: clock().toISOString(),
      ...(request.body.note !== undefined && { note: request.body.note }),
    }, { actor: { kind: 'user', id: p.username }, source: 'api', correlationId: request.id });
    return reply.code(201).send({ id: doc.feedbackId, position: result.position.toString(), ...(result.duplicate && { duplicate: true }) });
  });
}
