/**
 * Every projection the process runs, in one list: the composition root starts them and
 * `npm run rebuild` proves each of them rebuilds identically.
 */
import type { Projection } from '../projections/runner/projection';
import { projections } from '../projections/models/index';
import { outboxProjection } from '../outbound/outbox-projection';
import { purchasingProjection } from '../purchasing/projection/purchasing-projection';
import { posCatalogProjection } from '../catalog/catalog-projection';
import { locationModeProjection } from '../go-live/location-mode-projection';

import { pollProjection } from '../polls/poll-projection';
import { feedbackProjection } from '../feedback/feedback-projection';
import { auditProjection } from '../audit/audit-projection';
import { countSessionProjection } from '../counting/count-session-projection';

export const liveProjections: readonly Projection[] = [
  ...projections, outboxProjection,
  pollProjection,
  feedbackProjection,
  auditProjection,
  purchasingProjection,
  posCatalogProjection,
  locationModeProjection,
  countSessionProjection,
];
