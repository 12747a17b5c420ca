import { z } from 'zod';
import { dataCenters } from '../dc.ts';
import { moduleNames } from '../modules.ts';

/** Bodies of the admin API, checked so a mistyped test setup fails loudly. */
const module = z.enum(moduleNames);
const action = z.enum(['view', 'create', 'edit', 'delete']);

export const newUserSchema = z.object({
  email: z.email(),
  first_name: z.string().default(''),
  last_name: z.string().min(1).default('User'),
  profile: z.string().min(1).default('Standard'),
});

export const pipelineSchema = z.object({
  name: z.string().min(1),
  default: z.boolean().optional(),
  stages: z
    .array(
      z.union([
        z.string().min(1),
        z.object({
          name: z.string().min(1),
          probability: z.number().optional(),
          forecast: z.enum(['Open', 'Closed Won', 'Closed Lost']).optional(),
        }),
      ]),
    )
    .min(1),
});

const orgSettings = {
  api_access: z.boolean().optional(),
  third_party_apps_blocked: z.boolean().optional(),
  time_zone: z.string().optional(),
  credits_per_day: z.number().int().min(0).optional(),
  concurrency_limit: z.number().int().min(1).optional(),
  latency_ms: z.number().int().min(0).max(60_000).optional(),
  latency_jitter_ms: z.number().int().min(0).max(60_000).optional(),
  search_lag_ms: z.number().int().min(0).optional(),
  unique_fields: z.partialRecord(module, z.array(z.string())).optional(),
  mandatory_fields: z.partialRecord(module, z.array(z.string())).optional(),
};

export const newOrgSchema = z.object({
  name: z.string().min(1),
  edition: z.enum(['free', 'standard', 'professional', 'enterprise', 'ultimate']),
  /** A trial of another edition from creation on (Zoho's trials last 15 days). */
  trial: z
    .object({
      edition: z.enum(['standard', 'professional', 'enterprise', 'ultimate']),
      expires_in_days: z.number().int().min(1).max(365).default(15),
    })
    .optional(),
  /** `license_details.paid_type` when it is not the edition's name: a bundle (e.g. "zohoone"). */
  paid_type: z.string().min(1).max(40).optional(),
  data_center: z.enum(dataCenters),
  users: z.array(newUserSchema).min(1),
  pipelines: z.array(pipelineSchema).optional(),
  ...orgSettings,
});

export const orgPatchSchema = z.object({
  edition: z.enum(['free', 'standard', 'professional', 'enterprise', 'ultimate']).optional(),
  ...orgSettings,
});

export const profileSchema = z.object({ permissions: z.partialRecord(module, z.array(action)) });

export const validationRuleSchema = z.object({
  module,
  condition: z.object({
    field: z.string().min(1),
    operator: z.enum([
      'equals',
      'not_equals',
      'contains',
      'not_contains',
      'starts_with',
      'is_empty',
      'is_not_empty',
    ]),
    value: z.string().optional(),
  }),
  message: z.string().min(1),
});

export const workflowRuleSchema = z.object({
  name: z.string().min(1),
  module,
  on: z.enum(['create', 'edit', 'create_or_edit']).default('create'),
});

export const blueprintSchema = z.object({
  module: z.literal('Deals').default('Deals'),
  pipeline: z.string().optional(),
  record_ids: z.array(z.string()).optional(),
});

export const seedRecordsSchema = z.object({
  module,
  data: z.array(z.record(z.string(), z.unknown())).min(1).max(100),
  user_email: z.email().optional(),
});

export const clientSchema = z.object({
  name: z.string().min(1).default('Sandbox client'),
  redirect_uris: z.array(z.url()).min(1),
  home_dc: z.enum(dataCenters).default('us'),
  multi_dc: z.boolean().default(true),
});

export const selfClientSchema = z.object({
  org_id: z.string().min(1),
  user_email: z.email(),
  scope: z.string().min(1),
  /** Zoho's Self Client offers 3, 5, 7 or 10 minutes; 3 is its default (Accounts docs). */
  expiry_minutes: z.union([z.literal(3), z.literal(5), z.literal(7), z.literal(10)]).default(3),
});

export const faultSchema = z.object({
  org_id: z.string().optional(),
  dc: z.enum(dataCenters).optional(),
  method: z.string().optional(),
  path: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  latency_ms: z.number().int().min(0).max(60_000).optional(),
  drop: z.boolean().optional(),
  count: z.number().int().min(1).default(1),
});

export const clockSchema = z.union([
  z.object({ advance_seconds: z.number() }),
  z.object({ offset_seconds: z.number() }),
]);
