import type { Clock } from '../clock.ts';
import type { VaultLike } from '../crypto/vault.ts';
import type { Database } from '../db/port.ts';
import type { Logger } from '../log.ts';
import { createZohoAccounts, type Fetch, type OAuthClient } from '../zoho/accounts.ts';
import { createZohoApi, createZohoRecords } from '../zoho/api.ts';
import type { DataCentres } from '../zoho/datacentres.ts';
import { createZohoDeals } from '../zoho/deals.ts';
import type { ZohoHttp } from '../zoho/http.ts';
import { createLimiter } from '../zoho/limiter.ts';
import { createZohoTransport, type TransportObserver, type ZohoTransportDeps } from '../zoho/transport.ts';
import { createLeasedLimiter } from './call-slots.ts';
import type { ConnectionDeps } from './deps.ts';
import { createTokenManager } from './tokens.ts';

/** Wires the Zoho client (accounts, transport, endpoints) and the token manager together. */
export function createConnectionDeps(input: {
  db: Database;
  logger: Logger;
  clock: Clock;
  vault: VaultLike;
  client: OAuthClient;
  dataCentres: DataCentres;
  /** The most concurrent calls per Zoho org from this process; the org's edition sets the limit below it. */
  perOrgConcurrency?: number;
  /** Accounts' HTTP client, and the CRM API's too unless `http` is given (tests that hold calls). */
  fetch?: Fetch;
  /** The CRM API's HTTP client (default: undici's request, zoho/http.ts). */
  http?: ZohoHttp;
  retry?: ZohoTransportDeps['retry'];
  /** How long a Zoho call may take before it counts as failed (default 30 s). */
  timeoutMs?: number;
  /** Metrics of the Zoho calls. */
  observer?: TransportObserver;
}): ConnectionDeps {
  const fetchOpt = input.fetch ? { fetch: input.fetch } : {};
  const accounts = createZohoAccounts({ client: input.client, dataCentres: input.dataCentres, ...fetchOpt });
  const transport = createZohoTransport({
    logger: input.logger,
    // Across processes on PostgreSQL the org's limit is held in the database; PGlite is one process.
    limiter: input.db.kind === 'postgres' ? createLeasedLimiter(input.db, createLimiter()) : createLimiter(),
    ...(input.perOrgConcurrency ? { maxPerOrg: input.perOrgConcurrency } : {}),
    ...fetchOpt,
    ...(input.http ? { http: input.http } : {}),
    ...(input.retry ? { retry: input.retry } : {}),
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    ...(input.observer ? { observer: input.observer } : {}),
  });
  const tokens = createTokenManager({
    db: input.db,
    vault: input.vault,
    accounts,
    dataCentres: input.dataCentres,
    logger: input.logger,
    clock: input.clock,
  });
  return {
    db: input.db,
    vault: input.vault,
    accounts,
    api: createZohoApi(transport),
    records: createZohoRecords(transport),
    deals: createZohoDeals(transport),
    tokens,
    dataCentres: input.dataCentres,
    logger: input.logger,
    clock: input.clock,
  };
}
