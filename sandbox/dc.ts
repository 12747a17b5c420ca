/**
 * Zoho's data centres. The sandbox serves each under its own path prefix, both its
 * Accounts server and its API domain, so the integration's data-centre handling runs for
 * real: `<base>/<dc>/accounts` stands for https://accounts.zoho.<tld> and `<base>/<dc>/api`
 * for https://www.zohoapis.<tld>.
 */
export const dataCenters = ['us', 'eu', 'in', 'au', 'jp', 'cn', 'ca', 'sa', 'uk'] as const;
export type DataCenter = (typeof dataCenters)[number];

/** The real hosts, for display; CA's accounts server is zohocloud.ca, not zoho.ca (ZOHO-API.md §1). */
export const realHosts: Record<DataCenter, { accounts: string; api: string }> = {
  us: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com' },
  eu: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu' },
  in: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in' },
  au: { accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au' },
  jp: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp' },
  cn: { accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn' },
  ca: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca' },
  sa: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa' },
  uk: { accounts: 'https://accounts.zoho.uk', api: 'https://www.zohoapis.uk' },
};

export function isDataCenter(value: string): value is DataCenter {
  return (dataCenters as readonly string[]).includes(value);
}

export function accountsUrl(base: string, dc: DataCenter): string {
  return `${base}/${dc}/accounts`;
}

export function apiDomain(base: string, dc: DataCenter): string {
  return `${base}/${dc}/api`;
}
