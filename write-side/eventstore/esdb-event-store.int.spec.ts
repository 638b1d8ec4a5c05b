import { describe } from 'vitest';
import { EsdbEventStore } from './esdb-event-store';
import { eventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;
if (!url) console.info('EVENTSTORE_URL not set: EventStoreDB contract suite skipped');

describe.runIf(Boolean(url))('EsdbEventStore', () => {
  // Idempotency is EventStoreDB's best effort; fewer property runs because every append is a round trip.
  eventStoreContract('eventstoredb', async () => EsdbEventStore.connect(url!), {
    exactIdempotency: false,
    propertyRuns: 8,
    seamEvents: { before: 3000, during: 400 },
  });
});
