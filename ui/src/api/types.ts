/**
 * Shapes of the API answers the dashboard uses, derived from the shared schemas
 * (`schemas/read-api.ts`, `schemas/security.ts`, `schemas/commands.ts`), never copied.
 * Only the SSE frame has no schema yet (see StockChange).
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { roles } from '../../../schemas/common';
import type {
  AgingAnswer as AgingAnswerSchema, AlertsAnswer, LocationsAnswer, MovementsAnswer, ProductsAnswer,
  StockAnswer, TransfersAnswer, TurnoverAnswer as TurnoverAnswerSchema,
} from '../../../schemas/read-api';
import type { LoginAnswer as LoginAnswerSchema } from '../../../schemas/security';

export type Role = (typeof roles)[number];

type PublicUser = FromSchema<typeof LoginAnswerSchema>['user'];
/** The logged-in user; the server only ever answers one of the known roles. */
export type User = Omit<PublicUser, 'role'> & { role: Role };
export type LoginAnswer = Omit<FromSchema<typeof LoginAnswerSchema>, 'user'> & { user: User };

/** Every command answers its position; creating a transfer also its id. */
export interface CommandAnswer {
  position: string;
  id?: string;
}

/** A list answer: items plus the position it reflects (and a cursor where paged). */
export interface Listing<T> {
  items: T[];
  position?: string;
  nextCursor?: string;
}

export type StockItem = FromSchema<typeof StockAnswer>['items'][number];
export type Movement = FromSchema<typeof MovementsAnswer>['items'][number];
export type Location = FromSchema<typeof LocationsAnswer>['items'][number];
export type Product = FromSchema<typeof ProductsAnswer>['items'][number];
export type Alert = FromSchema<typeof AlertsAnswer>['items'][number];
export type Transfer = FromSchema<typeof TransfersAnswer>['items'][number];
export type TransferLine = Transfer['lines'][number];
export type AgingAnswer = FromSchema<typeof AgingAnswerSchema>;
export type TurnoverAnswer = FromSchema<typeof TurnoverAnswerSchema>;

/**
 * `event: stock` of `GET /api/stream` (CONTRACT.md; the `stock` ReadModelChange of
 * projections/runner/projection.ts). Hand-written because the stream has no JSON Schema yet.
 */
export interface StockChange {
  locationId: string;
  sku: string;
  onHand: number;
  inTransitIn?: number;
  inTransitOut?: number;
  position: string;
}
