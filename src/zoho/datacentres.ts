/**
 * Zoho's data centres and the only hosts we accept from Zoho. The OAuth callback names the
 * user's accounts server and the token reply names the API domain; our client secret and
 * tokens are sent there, so each must be one of these exactly (ZOHO-API.md §1–2). CA's
 * accounts server is zohocloud.ca, not zoho.ca: deriving it from the API domain is a trap.
 */
export const dataCentreIds = ['us', 'eu', 'in', 'au', 'jp', 'cn', 'ca', 'sa', 'uk'] as const;
export type DataCentreId = (typeof dataCentreIds)[number];

export interface DataCentre {
  id: DataCentreId;
  label: string;
  accountsServer: string;
  apiDomain: string;
}

const zohoHosts: Record<DataCentreId, { label: string; accounts: string; api: string }> = {
  us: { label: 'United States', accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com' },
  eu: { label: 'Europe', accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu' },
  in: { label: 'India', accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in' },
  au: { label: 'Australia', accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au' },
  jp: { label: 'Japan', accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp' },
  cn: { label: 'China', accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn' },
  ca: { label: 'Canada', accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca' },
  sa: { label: 'Saudi Arabia', accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa' },
  uk: { label: 'United Kingdom', accounts: 'https://accounts.zoho.uk', api: 'https://www.zohoapis.uk' },
};

export interface DataCentres {
  readonly all: readonly DataCentre[];
  /** Where a person opens a record in Zoho CRM's web UI (or the sandbox's view). */
  recordUrl(dcId: string, orgId: string, module: string, id: string): string | undefined;
  /** Where the authorization page lives: the US accounts server serves every DC's users. */
  readonly authorizeServer: string;
  byId(id: string): DataCentre | undefined;
  byAccountsServer(url: string): DataCentre | undefined;
  byApiDomain(url: string): DataCentre | undefined;
}

/** Zoho itself. */
export function zohoDataCentres(): DataCentres {
  return build(
    dataCentreIds.map((id) => ({ id, ...pick(id, zohoHosts[id].accounts, zohoHosts[id].api) })),
    (dc, orgId, module, id) =>
      `${dc.apiDomain.replace('www.zohoapis', 'crm.zoho').replace('crm.zoho.ca', 'crm.zohocloud.ca')}/crm/org${orgId}/tab/${module}/${id}`,
  );
}

/** The bundled sandbox at `base`: each DC under its own path prefix (sandbox/README.md). */
export function sandboxDataCentres(base: string): DataCentres {
  const root = base.replace(/\/+$/, '');
  return build(
    dataCentreIds.map((id) => ({ id, ...pick(id, `${root}/${id}/accounts`, `${root}/${id}/api`) })),
    (_dc, orgId, module, id) => `${root}/__sandbox/orgs/${orgId}/view/${module}/${id}`,
  );
}

function pick(id: DataCentreId, accountsServer: string, apiDomain: string) {
  return { label: zohoHosts[id].label, accountsServer, apiDomain };
}

/** Exact match after trimming a trailing slash: no prefixes, no look-alike hosts. */
const same = (a: string, b: string) => a.replace(/\/+$/, '') === b;

function build(
  all: DataCentre[],
  record: (dc: DataCentre, orgId: string, module: string, id: string) => string,
): DataCentres {
  const byId = (id: string) => all.find((dc) => dc.id === id);
  return {
    all,
    recordUrl(dcId, orgId, module, id) {
      const dc = byId(dcId);
      return dc ? record(dc, orgId, module, id) : undefined;
    },
    authorizeServer: all[0]!.accountsServer,
    byId,
    byAccountsServer: (url) => all.find((dc) => same(url, dc.accountsServer)),
    byApiDomain: (url) => all.find((dc) => same(url, dc.apiDomain)),
  };
}
