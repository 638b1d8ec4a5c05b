import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('IMS_APPEND_IN_WORKER', () => {
  it('given it unset, then the configuration leaves the choice to the topology (on under npm start)', () => {
    expect(loadConfig({})).not.toHaveProperty('appendInWorker');
  });

  it('given 0 or 1, then commits stay on the api thread or go to the appender worker; anything else is refused', () => {
    expect(loadConfig({ IMS_APPEND_IN_WORKER: '0' }).appendInWorker).toBe(false);
    expect(loadConfig({ IMS_APPEND_IN_WORKER: '1' }).appendInWorker).toBe(true);
    expect(() => loadConfig({ IMS_APPEND_IN_WORKER: 'yes' })).toThrow(ConfigError);
  });
});

describe('IMS_API_RATE_LIMIT', () => {
  it('given it unset, then every caller has 20,000 requests a minute; 0 turns the API-wide limit off; a negative or fractional value is refused', () => {
    expect(loadConfig({}).apiRateLimit).toBe(20_000);
    expect(loadConfig({ IMS_API_RATE_LIMIT: '600' }).apiRateLimit).toBe(600);
    expect(loadConfig({ IMS_API_RATE_LIMIT: '0' }).apiRateLimit).toBe(0);
    expect(() => loadConfig({ IMS_API_RATE_LIMIT: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ IMS_API_RATE_LIMIT: '2.5' })).toThrow(ConfigError);
  });
});
