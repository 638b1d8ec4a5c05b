/** What a projector or outbound role needs from the configuration (plain data: it crosses into a worker). */
export interface RoleConfig {
  readonly dataDir: string;
  readonly eventStoreUrl?: string;
  readonly mongodbUri?: string;
  /** `DATABASE_URL`: every store of the role on PostgreSQL (unless the two above say otherwise). */
  readonly databaseUrl?: string;
  /** `IMS_LEASE_TTL_MS`: a standby takes over at most this long after the holder stops renewing. */
  readonly leaseTtlMs: number;
  /** How often a role on embedded files polls for what another thread or process wrote. */
  readonly pollMs: number;
  readonly outboundIntervalMs: number;
}
