/**
 * A/B aid (not a benchmark row): the quick webhook benchmark with the event store committing
 * inline on the api thread and in its appender worker (the default of `npm start`), alternating
 * in one process, so the two are compared under the same machine load.
 *   nice -n 10 npx tsx bench/webhooks/compare-append.ts [rounds, default 2]
 */
import { benchWebhookAck, QUICK } from './webhook-ack.bench';

const rounds = Number(process.argv[2] ?? 2);
const picks = ['ack p50, open loop 100/s', 'ack p99, open loop 100/s', 'ack p99, open loop 1000/s', 'achieved rate', 'closed loop 32 senders, 1 s', 'bare Fastify 200, closed loop'];
for (let round = 0; round < rounds; round += 1) {
  for (const appendInWorker of round % 2 === 0 ? [true, false] : [false, true]) {
    const rows = await benchWebhookAck(QUICK, { appendInWorker });
    const line = picks.map((p) => {
      const row = rows.find((r) => r.name.includes(p));
      return row ? `${p}: ${row.value}${row.ratio !== undefined ? ` (×${row.ratio})` : ''}` : '';
    });
    console.log(`${appendInWorker ? 'worker' : 'inline'} | ${line.join(' | ')}`);
  }
}
