import { join } from 'node:path';
import { MongoOutboundStore } from './mongo-outbound-store';
import type { OutboundStore } from './outbound-store';
import { SqliteOutboundStore } from './sqlite-outbound-store';

/** The outbound store: MongoDB when `mongodbUri` is given, else `${dataDir}/outbound.sqlite`. */
export async function openOutboundStore(options: { mongodbUri?: string; dataDir: string }): Promise<OutboundStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) return MongoOutboundStore.open(uri);
  return new SqliteOutboundStore(join(options.dataDir, 'outbound.sqlite'));
}
