import { describe, expect, it } from 'vitest';
import { MalformedPayload } from '../effects';
import { parseCsvTickets } from './csv-tickets';

const header = 'eventId,type,locationId,occurredAt,sku,quantity';

describe('parseCsvTickets', () => {
  it('groups rows by eventId into tickets and remembers their line numbers', () => {
    const { tickets, errors } = parseCsvTickets(`${header}\na,sale,L,2024-06-01T09:00:00Z,S1,2\n\nb,return,L,2024-06-01T09:00:00Z,S1,1\na,sale,L,2024-06-01T09:00:00Z,S2,1\n`);
    expect(errors).toEqual([]);
    expect(tickets).toEqual([
      { lines: [2, 5], event: { eventId: 'a', type: 'sale', locationId: 'L', occurredAt: '2024-06-01T09:00:00Z', lines: [{ sku: 'S1', quantity: 2 }, { sku: 'S2', quantity: 1 }] } },
      { lines: [4], event: { eventId: 'b', type: 'return', locationId: 'L', occurredAt: '2024-06-01T09:00:00Z', lines: [{ sku: 'S1', quantity: 1 }] } },
    ]);
  });

  it('rejects a ticket whole when one row is bad or rows disagree, and reports every line', () => {
    const { tickets, errors } = parseCsvTickets(`${header}\na,sale,L,2024-06-01T09:00:00Z,S1,2\na,return,L,2024-06-01T09:00:00Z,S2,1\nb,sale,L,yesterday,S1,1\nc,sale,L,2024-06-01T09:00:00Z,S1,-1`);
    expect(tickets).toEqual([]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(errors[1]!.message).toContain('share type');
  });

  it('a file without the expected header or with broken quoting is malformed', () => {
    expect(() => parseCsvTickets('a,b\n1,2')).toThrow(MalformedPayload);
    expect(() => parseCsvTickets(`${header}\n"a,sale,L,x,S,1`)).toThrow(MalformedPayload);
    expect(() => parseCsvTickets('')).toThrow(MalformedPayload);
  });
});
