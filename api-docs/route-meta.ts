/**
 * OpenAPI metadata of every route, in one table (docs/seams.md): `operationId`, `summary` and
 * `tags`, keyed by `METHOD /fastify/url`. Route files keep their schemas and access rules; the
 * `onRoute` hook in install-api-docs.ts applies these rows, so a branch adding a route does not
 * touch this file: the lead adds its row at merge, and `api-docs/openapi.int.spec.ts` lists any
 * route still without one. A route's own `summary`/`tags` are kept when the row gives none.
 *
 * operationIds are the names generated clients call (`openapi-typescript`, `openapi-fetch`):
 * renaming one breaks those clients, so treat them as part of the contract.
 */
export interface RouteMeta {
  readonly operationId: string;
  readonly summary?: string;
  readonly tags?: readonly string[];
  /** Kept working for existing clients but left out of the document (an alias of another path). */
  readonly hiddenAlias?: string;
  /**
   * `position`: the answer is a function of the read models, the caller and the query alone
   * (no clock, no other store), so the read position is its ETag validator and a repeat at the
   * same position is a 304 without running the handler (read-api/caching/etag.ts).
   */
  readonly etag?: 'position';
}

/** Tags in the order the document lists them, with what each groups. */
export const TAGS = [
  { name: 'auth', description: 'Sessions, users and API tokens' },
  { name: 'operations', description: 'Health, settings and metrics for operators' },
  { name: 'commands', description: 'The write side: every accepted command answers with the position of its last event' },
  { name: 'stock', description: 'Balances and the movement ledger' },
  { name: 'exports', description: 'Bulk exports that stream (CSV or NDJSON, any size, resumable)' },
  { name: 'transfers', description: 'Transfers between locations' },
  { name: 'analytics', description: 'Aging and turnover' },
  { name: 'alerts', description: 'Open alerts' },
  { name: 'stream', description: 'Server-Sent Events' },
  { name: 'audit', description: 'The raw event log and the audit trail' },
  { name: 'pos', description: 'POS connections, webhooks, legacy CSV imports and quarantine' },
  { name: 'outbound', description: 'Outbound webhooks and balance pushes to POS systems' },
  { name: 'catalog', description: 'Locations, products, catalog imports and conflicts' },
  { name: 'purchasing', description: 'Suppliers, reorder rules, purchase orders and suggestions' },
  { name: 'go-live', description: 'Opening balances, shadow mode and readiness' },
  { name: 'counting', description: 'Count sessions of the staff app' },
  { name: 'polls', description: 'Staff polls' },
  { name: 'feedback', description: 'Staff feedback' },
  { name: 'forecast', description: 'Demand forecasts' },
  { name: 'overview', description: 'The chain at a glance' },
] as const;

export const ROUTE_META: Readonly<Record<string, RouteMeta>> = {
  // security/
  'POST /api/auth/login': { operationId: 'login', tags: ['auth'], summary: 'Log in: a bearer token and an HttpOnly session cookie' },
  'POST /api/auth/logout': { operationId: 'logout', tags: ['auth'], summary: 'End the session of the caller' },
  'GET /api/auth/me': { operationId: 'getCurrentUser', tags: ['auth'], summary: 'The caller: username, role, locations, permissions' },
  'POST /api/users': { operationId: 'createUser', tags: ['auth'], summary: 'Create a user (admin)' },
  'GET /api/users': { operationId: 'listUsers', tags: ['auth'], summary: 'Users (admin)' },
  'PATCH /api/users/:username': { operationId: 'updateUser', tags: ['auth'], summary: 'Change a user\'s role, locations, permissions or password (admin)' },
  'POST /api/tokens': { operationId: 'createApiToken', tags: ['auth'], summary: 'Create an API token for scripts and BI tools (shown once)' },
  'GET /api/tokens': { operationId: 'listApiTokens', tags: ['auth'], summary: 'API tokens (never their secret)' },
  'DELETE /api/tokens/:id': { operationId: 'revokeApiToken', tags: ['auth'], summary: 'Revoke an API token' },
  // server/
  'GET /health': { operationId: 'getHealth' },
  'GET /api/config': { operationId: 'getConfig' },
  'GET /metrics': { operationId: 'getMetrics', tags: ['operations'], summary: 'Prometheus metrics (text exposition format)' },
  // write-side/http
  'POST /api/locations': { operationId: 'createLocation' },
  'POST /api/products': { operationId: 'createProduct' },
  'PUT /api/reorder-points': { operationId: 'setReorderPoint' },
  'POST /api/stock/receipts': { operationId: 'receiveStock' },
  'POST /api/stock/adjustments': { operationId: 'adjustStock' },
  'POST /api/stock/counts': { operationId: 'recordCount' },
  'POST /api/stock/sales': { operationId: 'recordSale' },
  'POST /api/stock/returns': { operationId: 'recordReturn' },
  'POST /api/transfers': { operationId: 'planTransfer' },
  'POST /api/transfers/:id/dispatch': { operationId: 'dispatchTransfer' },
  'POST /api/transfers/:id/receive': { operationId: 'receiveTransfer' },
  'POST /api/transfers/:id/cancel': { operationId: 'cancelTransfer' },
  // read-api/
  'GET /api/locations': { operationId: 'listLocations', etag: 'position' },
  'GET /api/products': { operationId: 'listProducts' },
  'GET /api/transfers': { operationId: 'listTransfers' },
  'GET /api/transfers/:id': { operationId: 'getTransfer' },
  'GET /api/events': { operationId: 'listEvents' },
  'GET /api/stock': { operationId: 'listStock', etag: 'position' },
  'GET /api/stock/totals': { operationId: 'listStockTotals', etag: 'position' },
  'GET /api/movements': { operationId: 'listMovements', etag: 'position' },
  'GET /api/analytics/aging': { operationId: 'getAging' },
  'GET /api/analytics/turnover': { operationId: 'getTurnover' },
  'GET /api/alerts': { operationId: 'listAlerts' },
  'GET /api/stream': { operationId: 'streamChanges' },
  // read-api/exports/
  'GET /api/exports/movements': { operationId: 'exportMovements', tags: ['exports'], summary: 'Every movement of a period, streamed as CSV or NDJSON' },
  'GET /api/exports/stock': { operationId: 'exportStockAsOf', tags: ['exports'], summary: 'Stock balances as of an instant, streamed as CSV or NDJSON' },
  'GET /api/exports/daily-sales': { operationId: 'exportDailySales', tags: ['exports'], summary: 'Units and value sold and returned per day, location and SKU, streamed' },
  'GET /api/exports/events': { operationId: 'exportEvents', tags: ['exports'], summary: 'The raw event log of a period, streamed as CSV or NDJSON' },
  // pos/
  'POST /pos/:connectionId/webhook': { operationId: 'receivePosWebhook', tags: ['pos'], summary: 'A POS webhook (signed): sales, returns, catalog topics' },
  'POST /api/pos/:connectionId/import': { operationId: 'importPosCsvLegacyPath', hiddenAlias: 'POST /api/pos/connections/:connectionId/import' },
  'POST /api/pos/connections/:connectionId/import': {
    operationId: 'importPosCsv', tags: ['pos'],
    summary: 'Import a legacy till\'s CSV of sales and returns (also served at the older path POST /api/pos/{connectionId}/import)',
  },
  'POST /api/pos/connections': { operationId: 'createPosConnection', tags: ['pos'], summary: 'Connect a POS (admin); the secret is never returned' },
  'GET /api/pos/connections': { operationId: 'listPosConnections', tags: ['pos'], summary: 'POS connections' },
  'GET /api/pos/connections/:connectionId': { operationId: 'getPosConnection', tags: ['pos'], summary: 'One POS connection' },
  'PATCH /api/pos/connections/:connectionId': { operationId: 'updatePosConnection', tags: ['pos'], summary: 'Change a POS connection (maps, secret, status)' },
  'GET /api/pos/quarantine': { operationId: 'listQuarantine', tags: ['pos'], summary: 'POS sales kept aside (unknown SKU or unmapped location)' },
  'POST /api/pos/quarantine/:id/retry': { operationId: 'retryQuarantined', tags: ['pos'], summary: 'Retry one quarantined POS delivery' },
  'POST /api/pos/quarantine/retry-all': { operationId: 'retryAllQuarantined', tags: ['pos'], summary: 'Retry every quarantined POS delivery' },
  'GET /api/pos/health': { operationId: 'getPosHealth', tags: ['pos'], summary: 'Health of every POS connection' },
  'GET /api/pos/connections/:connectionId/health': { operationId: 'getPosConnectionHealth', tags: ['pos'], summary: 'Health of one POS connection' },
  'GET /api/pos/connections/:connectionId/deliveries': { operationId: 'listPosDeliveries', tags: ['pos'], summary: 'Recent deliveries of one POS connection' },
  // outbound/
  'POST /api/webhooks/subscriptions': { operationId: 'createWebhookSubscription', tags: ['outbound'], summary: 'Subscribe a URL to outbound events' },
  'GET /api/webhooks/subscriptions': { operationId: 'listWebhookSubscriptions', tags: ['outbound'], summary: 'Outbound webhook subscriptions' },
  'DELETE /api/webhooks/subscriptions/:id': { operationId: 'deleteWebhookSubscription', tags: ['outbound'], summary: 'Remove an outbound webhook subscription' },
  'GET /api/webhooks/deliveries': { operationId: 'listWebhookDeliveries', tags: ['outbound'], summary: 'Outbound deliveries and their status' },
  'POST /api/webhooks/deliveries/:id/retry': { operationId: 'retryWebhookDelivery', tags: ['outbound'], summary: 'Retry a failed outbound delivery' },
  'PUT /api/pos/connections/:connectionId/push': { operationId: 'setBalancePush', tags: ['outbound'], summary: 'Turn balance pushes to a POS on or off' },
  'GET /api/pos/push-jobs': { operationId: 'listPushJobs', tags: ['outbound'], summary: 'Balance push jobs and their status' },
  'POST /api/pos/push-jobs/:id/retry': { operationId: 'retryPushJob', tags: ['outbound'], summary: 'Retry a failed balance push' },
  // purchasing/
  'POST /api/suppliers': { operationId: 'createSupplier' },
  'GET /api/suppliers': { operationId: 'listSuppliers' },
  'POST /api/suppliers/:id/prices': { operationId: 'setSupplierPrice' },
  'POST /api/suppliers/:id/deactivate': { operationId: 'deactivateSupplier' },
  'GET /api/suppliers/:id': { operationId: 'getSupplier' },
  'PUT /api/reorder-rules': { operationId: 'setReorderRule' },
  'GET /api/reorder-rules': { operationId: 'listReorderRules' },
  'POST /api/purchase-orders': { operationId: 'draftPurchaseOrder' },
  'GET /api/purchase-orders': { operationId: 'listPurchaseOrders' },
  'POST /api/purchase-orders/:id/send': { operationId: 'sendPurchaseOrder' },
  'POST /api/purchase-orders/:id/cancel': { operationId: 'cancelPurchaseOrder' },
  'POST /api/purchase-orders/:id/close': { operationId: 'closePurchaseOrder' },
  'POST /api/purchase-orders/:id/receive': { operationId: 'receivePurchaseOrder' },
  'GET /api/purchase-orders/:id': { operationId: 'getPurchaseOrder' },
  'GET /api/on-order': { operationId: 'listOnOrder' },
  'GET /api/reorder-suggestions': { operationId: 'listReorderSuggestions' },
  'POST /api/reorder-suggestions/purchase-orders': { operationId: 'draftPurchaseOrdersFromSuggestions' },
  'POST /api/reorder-suggestions/transfers': { operationId: 'createTransfersFromSuggestions' },
  'POST /api/reorder-suggestions/apply': { operationId: 'applyReorderSuggestions' },
  // catalog/
  'POST /api/pos/connections/:connectionId/imports': { operationId: 'startCatalogImport' },
  'GET /api/pos/imports/:id': { operationId: 'getCatalogImport' },
  'GET /api/pos/imports': { operationId: 'listCatalogImports' },
  'POST /api/pos/imports/:id/resume': { operationId: 'resumeCatalogImport' },
  'PUT /api/pos/connections/:connectionId/catalog-policy': { operationId: 'setCatalogPolicy' },
  'GET /api/pos/connections/:connectionId/items': { operationId: 'listPosItems' },
  'GET /api/catalog/alerts': { operationId: 'listCatalogAlerts' },
  'POST /api/catalog/alerts/resolve': { operationId: 'resolveCatalogAlert' },
  'PUT /api/products/:sku/barcodes': { operationId: 'setBarcodes' },
  'PATCH /api/products/:sku': { operationId: 'updateProduct' },
  'POST /api/products/:sku/discontinue': { operationId: 'discontinueProduct' },
  'GET /api/catalog/stream': { operationId: 'streamCatalogChanges' },
  'GET /api/pos/connections/:connectionId/product-push': { operationId: 'getProductPush' },
  'PUT /api/pos/connections/:connectionId/product-push': { operationId: 'setProductPush' },
  'GET /api/pos/product-pushes': { operationId: 'listProductPushes' },
  'POST /api/pos/product-pushes/:id/retry': { operationId: 'retryProductPush' },
  // go-live/
  'POST /api/stock/opening-balances': { operationId: 'importOpeningBalances' },
  'POST /api/locations/:id/mode': { operationId: 'setLocationMode' },
  'GET /api/locations/:id/readiness': { operationId: 'getLocationReadiness' },
  'POST /api/pos/connections/:connectionId/test': { operationId: 'testPosConnection' },
  // counting/
  'POST /api/count-sessions': { operationId: 'openCountSession', tags: ['counting'], summary: 'Open a count session at a location (manager)' },
  'GET /api/count-sessions': { operationId: 'listCountSessions', tags: ['counting'], summary: 'Count sessions the caller may see' },
  'GET /api/count-sessions/:id': { operationId: 'getCountSession', tags: ['counting'], summary: 'One count session with its lines (no expected quantities for staff in a blind session)' },
  'POST /api/count-sessions/:id/scans': { operationId: 'recordCountScans', tags: ['counting'], summary: 'Record scans from a device; a repeated scanId adds nothing' },
  'POST /api/count-sessions/:id/recount': { operationId: 'requestRecount', tags: ['counting'], summary: 'Ask for a recount of some lines' },
  'POST /api/count-sessions/:id/post': { operationId: 'postCountSession', tags: ['counting'], summary: 'Post the counts (manager); a second post is 409' },
  'POST /api/count-sessions/:id/cancel': { operationId: 'cancelCountSession', tags: ['counting'], summary: 'Cancel a count session' },
  // polls/, feedback/, audit/
  'POST /api/polls': { operationId: 'createPoll' },
  'GET /api/polls': { operationId: 'listPolls' },
  'POST /api/polls/:id/answers': { operationId: 'answerPoll' },
  'GET /api/polls/:id/results': { operationId: 'getPollResults' },
  'POST /api/feedback': { operationId: 'sendFeedback' },
  'GET /api/feedback': { operationId: 'listFeedback' },
  'POST /api/feedback/:id/status': { operationId: 'setFeedbackStatus' },
  'GET /api/audit': { operationId: 'listAuditTrail' },
  // forecasting/, overview/
  'GET /api/forecast': { operationId: 'getForecast' },
  'GET /api/forecast/reorder-point': { operationId: 'getForecastReorderPoint' },
  'GET /api/forecast/running-out': { operationId: 'listRunningOut' },
  'GET /api/overview': { operationId: 'getOverview' },
  'GET /api/overview/pos-events': { operationId: 'listRecentPosEvents' },
  'GET /api/insights/sales': { operationId: 'getSalesInsights' },
  'PUT /api/products/:sku/category': { operationId: 'setProductCategory' },
};

/** Route keys whose answers the read position validates. */
export const positionValidatedRoutes = (): ReadonlySet<string> =>
  new Set(Object.entries(ROUTE_META).filter(([, meta]) => meta.etag === 'position').map(([key]) => key));

/** The table key of a route. */
export const routeKey = (method: string, url: string): string => `${method.toUpperCase()} ${url}`;
