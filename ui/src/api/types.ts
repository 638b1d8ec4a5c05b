/**
 * Shapes of the read answers the dashboard uses (CONTRACT.md, Reads). Command bodies are
 * not repeated here: they are derived from the shared schemas (`CommandBody<...>`).
 * Fields the contract leaves open are optional, so the screens degrade gracefully.
 */
import type { roles } from '../../../schemas/common';

export type Role = (typeof roles)[number];

export interface User {
  username: string;
  role: Role;
  locations: string[];
}

export interface LoginAnswer {
  token: string;
  csrfToken?: string;
  user: User;
}

export interface CommandAnswer {
  position: string;
  id?: string;
}

export interface StockItem {
  locationId: string;
  sku: string;
  onHand: number;
  inTransitIn: number;
  inTransitOut: number;
  reorderPoint?: number;
  value?: number;
}

export interface Listing<T> {
  items: T[];
  position?: string;
  nextCursor?: string;
}

export interface Movement {
  position: string;
  occurredAt: string;
  recordedAt: string;
  type: string;
  locationId: string;
  sku: string;
  quantity: number;
  balance: number;
  actor: unknown;
  source: string;
  reference?: string;
}

export interface Location {
  id?: string;
  locationId?: string;
  name: string;
  type?: string;
}

export interface Product {
  sku: string;
  name: string;
  unitCost?: number;
  reorderPoint?: number;
}

export interface Alert {
  alertId?: string;
  id?: string;
  alertType?: string;
  type?: string;
  status?: string;
  locationId?: string;
  sku?: string;
  transferId?: string;
  message?: string;
  raisedAt?: string;
}

export interface TransferLine {
  sku: string;
  quantity: number;
  dispatched?: number;
  received?: number;
  shortfall?: number;
}

export interface Transfer {
  id?: string;
  transferId?: string;
  fromLocationId: string;
  toLocationId: string;
  status: string;
  lines: TransferLine[];
  createdAt?: string;
}

/** Live messages of `GET /api/stream`. */
export interface StockChange {
  locationId: string;
  sku: string;
  onHand: number;
  inTransitIn?: number;
  inTransitOut?: number;
  position: string;
}
