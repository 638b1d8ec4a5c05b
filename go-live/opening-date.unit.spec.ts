import { describe, it } from 'vitest';
import { specFor } from '../catalog/domain/testing';
import { decideOpeningDate, evolveOpeningDate, initialOpeningDate, OpeningDateDiffers } from './opening-date';

const T = '2026-12-02T10:00:00.000Z';
const NOW = '2026-12-02T10:02:00.000Z';
const dates = specFor(initialOpeningDate, evolveOpeningDate);
const dated = (asOf: string) => ({ type: 'OpeningBalancesDated' as const, data: { locationId: 'S1', asOf, source: 'opening', occurredAt: NOW, recordedAt: NOW } });

describe('the cut-over instant of a location\'s opening balances', () => {
  it('is fixed by the first opening import', () => {
    dates().when((s) => decideOpeningDate({ locationId: 'S1', asOf: T, source: 'opening', now: NOW }, s)).then([dated(T)]);
  });
  it('lets a second import at the same instant through, however it is written', () => {
    dates(dated(T)).when((s) => decideOpeningDate({ locationId: 'S1', asOf: T, source: 'import:shop:', now: NOW }, s)).then([]);
    dates(dated(T)).when((s) => decideOpeningDate({ locationId: 'S1', asOf: '2026-12-02T11:00:00+01:00', source: 'opening', now: NOW }, s)).then([]);
  });
  it('refuses another instant', () => {
    dates(dated(T)).when((s) => decideOpeningDate({ locationId: 'S1', asOf: '2026-12-02T10:01:00.000Z', source: 'opening', now: NOW }, s))
      .thenThrows(OpeningDateDiffers, 'opening-asof-differs');
  });
});
