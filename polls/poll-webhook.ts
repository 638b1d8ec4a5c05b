/**
 * The `poll.answered` webhook payload. An anonymous answer (respondent `anon:…`) goes out
 * without its respondent key and location, so an external tool learns no more than the results show.
 */
import type { PollAnsweredData } from './poll-state';

export function pollAnsweredPayload(a: PollAnsweredData): Record<string, unknown> {
  const anonymous = a.respondent.startsWith('anon:');
  return {
    pollId: a.pollId, value: a.value, replaced: a.replaced, anonymous,
    ...(a.comment !== undefined && { comment: a.comment }),
    ...(!anonymous && { respondent: a.respondent, role: a.role, ...(a.locationId !== undefined && { locationId: a.locationId }) }),
  };
}
