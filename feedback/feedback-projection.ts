/** The `feedback` read model: one document per item with its current status (for triage and for its author). */
import { padPosition } from '../projections/models/keys';
import type { Doc } from '../projections/readstore/port';
import type { Projection } from '../projections/runner/projection';
import type { FeedbackStatus, FeedbackSubmittedData } from './decide-feedback';

export const FEEDBACK = { items: 'feedback' } as const;

export type FeedbackDoc = Doc & Omit<FeedbackSubmittedData, 'occurredAt' | 'recordedAt'> & {
  status: FeedbackStatus;
  createdAt: string;
  updatedAt: string;
  triagedBy?: string;
  note?: string;
  /** Of the submission: the list is newest first. */
  positionKey: string;
  position: string;
};

export const feedbackProjection: Projection = {
  name: 'feedback',
  collections: [FEEDBACK.items],
  indexes: [{ collection: FEEDBACK.items, fields: ['positionKey'] }, { collection: FEEDBACK.items, fields: ['author'] }],
  async apply(recorded, uow) {
    if (recorded.type === 'FeedbackSubmitted') {
      const { occurredAt, recordedAt: _r, ...item } = recorded.data as FeedbackSubmittedData;
      uow.put(FEEDBACK.items, {
        _id: item.feedbackId, ...item, status: 'new', createdAt: occurredAt, updatedAt: occurredAt,
        position: recorded.position.toString(), positionKey: padPosition(recorded.position),
      });
      return;
    }
    if (recorded.type !== 'FeedbackStatusChanged') return;
    const change = recorded.data as { feedbackId: string; status: FeedbackStatus; by: string; note?: string; occurredAt: string };
    const doc = await uow.get<FeedbackDoc>(FEEDBACK.items, change.feedbackId);
    if (!doc) return;
    const { note: _old, ...rest } = doc;
    uow.put(FEEDBACK.items, { ...rest, status: change.status, updatedAt: change.occurredAt, triagedBy: change.by, ...(change.note !== undefined && { note: change.note }) });
  },
};
