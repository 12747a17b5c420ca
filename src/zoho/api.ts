import { z } from 'zod';
import { ZohoError } from './errors.ts';
import type { AuthSource, ZohoTransport } from './transport.ts';

/** Endpoint functions over the transport; each parses what it reads (ZOHO-API.md §5). */
const currentUserReply = z.object({
  users: z
    .array(
      z.object({
        id: z.string(),
        full_name: z.string().optional(),
        first_name: z.string().nullish(),
        last_name: z.string().nullish(),
        email: z.string(),
      }),
    )
    .min(1),
});

const orgReply = z.object({
  org: z
    .array(
      z.object({ id: z.string(), company_name: z.string().nullish(), domain_name: z.string().nullish() }),
    )
    .min(1),
});

export interface ZohoUser {
  id: string;
  name: string;
  email: string;
}

export interface ZohoOrg {
  id: string;
  name: string;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ZohoError('invalid', `Zoho CRM ${what}: unexpected reply shape`, { cause: parsed.error });
  return parsed.data;
}

export function createZohoApi(transport: ZohoTransport) {
  return {
    async currentUser(auth: AuthSource): Promise<ZohoUser> {
      const body = await transport.request(auth, {
        method: 'GET',
        path: '/users',
        query: { type: 'CurrentUser' },
      });
      const user = parse(currentUserReply, body, 'current user').users[0]!;
      const name =
        user.full_name || [user.first_name, user.last_name].filter(Boolean).join(' ') || user.email;
      return { id: user.id, name, email: user.email };
    },

    async org(auth: AuthSource): Promise<ZohoOrg> {
      const org = parse(orgReply, await transport.request(auth, { method: 'GET', path: '/org' }), 'org')
        .org[0]!;
      return { id: org.id, name: org.company_name || org.domain_name || org.id };
    },

    /**
     * One cheap read of a module: 204 (nothing there) and 200 both prove the profile may view
     * it; NO_PERMISSION says it may not.
     */
    async canView(auth: AuthSource, module: 'Contacts' | 'Leads'): Promise<void> {
      await transport.request(auth, {
        method: 'GET',
        path: `/${module}`,
        query: { fields: 'Email', per_page: 1 },
      });
    },
  };
}

export type ZohoApi = ReturnType<typeof createZohoApi>;
