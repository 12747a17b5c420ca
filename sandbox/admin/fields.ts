import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxCore } from '../core.ts';
import { apiNameFromLabel, customFieldType, customFieldTypes, orgFieldDefs } from '../crm/custom-fields.ts';
import { renderField } from '../crm/field-meta.ts';
import { recordId } from '../ids.ts';
import { type FieldDef, findModule, type ModuleName, moduleNames } from '../modules.ts';
import type { SbOrg } from '../state.ts';
import { AdminError, orgOr404, parseBody } from './common.ts';

/**
 * What an org's administrator does in Zoho's field editor: add a custom field, delete it,
 * change a picklist's values (a custom one, or a standard one such as Lead_Source). The
 * answer is the field as `/settings/fields` then gives it.
 */
type P = Record<string, string>;

/** Modules whose layout takes custom fields here (Zoho's Notes have none). */
const customizable: readonly ModuleName[] = moduleNames.filter((m) => m !== 'Notes');

const values = z.array(z.string().trim().min(1).max(120)).min(1).max(500);

const newFieldSchema = z
  .object({
    module: z.string(),
    label: z.string().trim().min(1).max(50),
    api_name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
      .max(50)
      .optional(),
    type: z.enum(customFieldTypes),
    values: values.optional(),
    mandatory: z.boolean().optional(),
  })
  .strict()
  .refine((f) => (f.type === 'picklist') === (f.values !== undefined), {
    message: 'values are given for a picklist, and only for one',
    path: ['values'],
  });

const valuesSchema = z.object({ values }).strict();

function moduleParam(name: string | undefined): ModuleName {
  const module = findModule(name ?? '');
  if (!module || !customizable.includes(module))
    throw new AdminError(400, `module must be one of ${customizable.join(', ')}`);
  return module;
}

function described(org: SbOrg, module: ModuleName, apiName: string) {
  const defs = orgFieldDefs(org, module);
  const index = defs.findIndex((d) => d.api_name === apiName);
  return { field: renderField(org, module, defs[index]!, index) };
}

function findField(org: SbOrg, module: ModuleName, apiName: string | undefined): FieldDef {
  const def = orgFieldDefs(org, module).find((d) => d.api_name === apiName);
  if (!def) throw new AdminError(404, `no field ${apiName} in ${module}`);
  return def;
}

export function registerFieldAdmin(app: FastifyInstance, core: SandboxCore): void {
  const F = '/__sandbox/orgs/:org_id/fields';

  app.post(F, (req, reply) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    const input = parseBody(newFieldSchema, req.body);
    const module = moduleParam(input.module);
    const apiName = input.api_name ?? apiNameFromLabel(input.label);
    if (!apiName) throw new AdminError(400, 'the label gives no api_name: name one');
    const taken = orgFieldDefs(org, module).some((d) => d.api_name.toLowerCase() === apiName.toLowerCase());
    if (taken) throw new AdminError(409, `${module} already has a field ${apiName}`);
    const def: FieldDef = {
      api_name: apiName,
      label: input.label,
      type: customFieldType(input.type, input.values),
      custom: true,
      id: recordId(org.id_prefix, core.nextSeq()),
      ...(input.mandatory ? { mandatory: true } : {}),
    };
    const custom = (org.custom_fields ??= {});
    (custom[module] ??= []).push(def);
    core.changed();
    return reply.code(201).send(described(org, module, apiName));
  });

  app.delete(`${F}/:module/:api_name`, (req) => {
    const p = req.params as P;
    const org = orgOr404(core, p['org_id']);
    const module = moduleParam(p['module']);
    const def = findField(org, module, p['api_name']);
    if (!def.custom)
      throw new AdminError(400, `${def.api_name} is a standard field: Zoho does not delete those`);
    org.custom_fields![module] = org.custom_fields![module]!.filter((d) => d !== def);
    core.changed();
    return { deleted: def.api_name };
  });

  app.put(`${F}/:module/:api_name/values`, (req) => {
    const p = req.params as P;
    const org = orgOr404(core, p['org_id']);
    const module = moduleParam(p['module']);
    const def = findField(org, module, p['api_name']);
    if (def.type.kind !== 'picklist') throw new AdminError(400, `${def.api_name} is not a picklist`);
    const given = parseBody(valuesSchema, req.body).values;
    if (def.custom) def.type = { kind: 'picklist', values: given };
    else ((org.picklist_values ??= {})[module] ??= {})[def.api_name] = given;
    core.changed();
    return described(org, module, def.api_name);
  });
}
