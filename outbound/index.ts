/** Outbound integration: the outbox projection, the sender, its store and its routes. */
export { outboxProjection } from './outbox-projection';
export { createOutboundSender, type OutboundSender, type OutboundSenderOptions, type RunReport } from './sender';
export { openOutboundStore } from './store/open-outbound-store';
export type { OutboundStore } from './store/outbound-store';
export { outboundRoutes, type OutboundRouteDeps } from './outbound-routes';
export { verifySignature, signBody } from './webhooks/signing';
