import type { Clock } from '../clock.ts';
import type { VaultLike } from '../crypto/vault.ts';
import type { Database } from '../db/port.ts';
import type { Logger } from '../log.ts';
import type { ZohoAccounts } from '../zoho/accounts.ts';
import type { ZohoApi, ZohoRecords } from '../zoho/api.ts';
import type { DataCentres } from '../zoho/datacentres.ts';
import type { ZohoDeals } from '../zoho/deals.ts';
import type { TokenManager } from './tokens.ts';

/** What the connect, disconnect and check flows need; main.ts and tests build it. */
export interface ConnectionDeps {
  db: Database;
  vault: VaultLike;
  accounts: ZohoAccounts;
  api: ZohoApi;
  records: ZohoRecords;
  deals: ZohoDeals;
  tokens: TokenManager;
  dataCentres: DataCentres;
  logger: Logger;
  clock: Clock;
}

/** The signed-in user a flow acts for. */
export interface Actor {
  workspaceId: string;
  userId: string;
}
