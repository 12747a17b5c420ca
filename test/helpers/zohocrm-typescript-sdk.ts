import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ZOHOCRMSDK from '@zohocrm/typescript-sdk-8.0';
import { expect } from 'vitest';
import type { CreatedOrg } from './sandbox.ts';
import type { MemoryTokenStore } from './zohocrm-typescript-sdk-token-store.ts';

/**
 * Zoho's official TypeScript SDK (@zohocrm/typescript-sdk-8.0), configured — never patched —
 * to talk to the sandbox: an environment holding the org's data-centre URLs, an in-memory
 * token store (zohocrm-typescript-sdk-token-store.ts), and the files the SDK writes (field
 * metadata, logs) in a temporary directory.
 */

export { ZOHOCRMSDK };

/**
 * What the Zoho DataCenter classes build for Zoho (e.g. USDataCenter.PRODUCTION()), with the
 * sandbox's URLs for the org's data centre: the API domain, the token URL of its accounts
 * server (the SDK posts token requests to this exact URL) and a file-upload URL the steps
 * never use (the sandbox has no content API).
 */
export function sandboxEnvironment(org: Pick<CreatedOrg, 'api_domain' | 'accounts_url'>) {
  return ZOHOCRMSDK.DataCenter.setEnvironment(
    org.api_domain,
    `${org.accounts_url}/oauth/v2/token`,
    `${org.api_domain}/content`,
  );
}

/** A directory for the SDK's files, removed by the returned function. */
export function sdkWorkDir(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zohocrm-sdk-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface SdkSetup {
  org: Pick<CreatedOrg, 'api_domain' | 'accounts_url'>;
  clientId: string;
  clientSecret: string;
  grantToken: string;
  store: MemoryTokenStore;
  dir: string;
}

/**
 * Initialises the SDK the documented way (InitializeBuilder) with a grant token: the SDK
 * exchanges it at once. Field metadata is refreshed automatically and picklist values are
 * validated, as in Zoho's README example (validation on is the SDK's default).
 */
export async function initializeSdk(setup: SdkSetup): Promise<ZOHOCRMSDK.OAuthToken> {
  const token = new ZOHOCRMSDK.OAuthBuilder()
    .clientId(setup.clientId)
    .clientSecret(setup.clientSecret)
    .grantToken(setup.grantToken)
    .build();
  const logger = new ZOHOCRMSDK.LogBuilder()
    .level(ZOHOCRMSDK.Levels.INFO)
    .filePath(path.join(setup.dir, 'sdk.log'))
    .build();
  const config = new ZOHOCRMSDK.SDKConfigBuilder()
    .autoRefreshFields(true)
    .pickListValidation(true)
    .timeout(30_000)
    .build();
  // The trailing separator matters: the SDK builds the related-lists cache path as
  // resourcePath + "resources/" (string concatenation), other caches with path.join.
  const resourcePath = `${setup.dir}${path.sep}`;
  await (await new ZOHOCRMSDK.InitializeBuilder())
    .environment(sandboxEnvironment(setup.org))
    .token(token)
    .store(setup.store)
    .SDKConfig(config)
    .resourcePath(resourcePath)
    .logger(logger)
    .initialize();
  return token;
}

/** A value the SDK parsed, checked to be of the expected class; an unexpected error shows its code. */
export function parsedAs<T>(value: unknown, cls: abstract new (...args: never[]) => T): T {
  if (value instanceof cls) return value;
  expect.fail(`expected the SDK to parse a ${cls.name}, got ${describeParsed(value)}`);
}

/** An SDK object (an APIException or any model) in a line: class, code, message, details. */
export function describeParsed(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  const name = value.constructor?.name ?? 'object';
  const parts: string[] = [name];
  const call = (method: string): unknown => {
    const fn = (value as Record<string, unknown>)[method];
    return typeof fn === 'function' ? fn.call(value) : undefined;
  };
  const choice = (v: unknown) => (v instanceof ZOHOCRMSDK.Choice ? v.getValue() : v);
  const code = choice(call('getCode'));
  if (code !== undefined) parts.push(`code=${String(code)}`);
  const message = choice(call('getMessage'));
  if (message !== undefined) parts.push(`message=${String(message)}`);
  const details = call('getDetails');
  if (details instanceof Map) {
    parts.push(`details=${JSON.stringify(Object.fromEntries(details), (_k, v) => bigintSafe(v))}`);
  }
  return parts.join(' ');
}

const bigintSafe = (v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

// Thin wrappers over the SDK's own operations: each builds what the SDK documents and checks
// only the HTTP status, leaving the parsed objects to the test.

const Rec = ZOHOCRMSDK.Record;

export function recordOf(fields: Array<[ZOHOCRMSDK.Record.Field<unknown>, unknown]>) {
  const record = new Rec.Record();
  for (const [field, value] of fields) record.addFieldValue(field, value);
  return record;
}

/** A lookup value (Who_Id, Contact_Name): a record holding only the id. */
export function lookup(id: bigint) {
  const record = new Rec.Record();
  record.setId(id);
  return record;
}

export function bodyOf(...records: ZOHOCRMSDK.Record.Record[]) {
  const body = new Rec.BodyWrapper();
  body.setData(records);
  return body;
}

/** The id of a per-record SUCCESS. */
export function successId(result: unknown): bigint {
  const ok = parsedAs(result, Rec.SuccessResponse);
  expect(ok.getStatus().getValue()).toBe('success');
  expect(ok.getCode().getValue()).toBe('SUCCESS');
  const id: unknown = ok.getDetails().get('id');
  expect(String(id)).toMatch(/^\d+$/);
  return BigInt(String(id));
}

export function onlyResult(wrapper: { getData(): unknown[] }): unknown {
  const data = wrapper.getData();
  expect(data, 'one result per record sent').toHaveLength(1);
  return data[0];
}

export const choiceValue = (value: unknown): unknown => parsedAs(value, ZOHOCRMSDK.Choice).getValue();

export async function getRecord(module: string, id: bigint): Promise<ZOHOCRMSDK.Record.Record> {
  const res = await new Rec.RecordOperations(module).getRecord(id);
  expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(200);
  const [record] = parsedAs(res.getObject(), Rec.ResponseWrapper).getData();
  if (!record) expect.fail(`no ${module} record ${id} in the reply`);
  return record;
}

export async function relatedRecords(related: string, module: string, id: bigint, fields: string) {
  const params = new ZOHOCRMSDK.ParameterMap();
  await params.add(ZOHOCRMSDK.RelatedRecords.GetRelatedRecordsParam.FIELDS, fields);
  const operations = new ZOHOCRMSDK.RelatedRecords.RelatedRecordsOperations(related, module);
  const res = await operations.getRelatedRecords(id, params);
  expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(200);
  return parsedAs(res.getObject(), ZOHOCRMSDK.RelatedRecords.ResponseWrapper).getData();
}

export async function searchByEmail(module: string, email: string) {
  const params = new ZOHOCRMSDK.ParameterMap();
  await params.add(Rec.SearchRecordsParam.EMAIL, email);
  return new Rec.RecordOperations(module).searchRecords(params);
}

export async function currentUser() {
  const params = new ZOHOCRMSDK.ParameterMap();
  await params.add(ZOHOCRMSDK.Users.GetUsersParam.TYPE, 'CurrentUser');
  return new ZOHOCRMSDK.Users.UsersOperations().getUsers(params);
}
