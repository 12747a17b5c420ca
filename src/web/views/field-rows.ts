import type { FieldCache } from '../../connections/zoho-fields.ts';
import { writableTypes } from '../../sync/field-check.ts';
import {
  describeSource,
  type FieldRow,
  type FieldTarget,
  fieldTargets,
  reservedFields,
  type UtmKey,
  utmKeys,
} from '../../sync/field-values.ts';
import type { ZohoField } from '../../zoho/fields.ts';
import { type Html, html } from './html.ts';
import { utcMinute } from './ui.ts';

/**
 * The Zoho card's "Field values on create" section and the page of its add-row form's second
 * step: first a field (of new Contacts, new Leads or Meetings, from the org's own cached field
 * list), then a value fitting that field. Forms only, no script (the pages' CSP).
 */
export const targetNames: Record<FieldTarget, string> = {
  Contacts: 'New Contacts',
  Leads: 'New Leads',
  Events: 'Meetings',
};

/** The fields a row may write: creatable through the API, of a type PepoSmart checks, not its own. */
export function offeredFields(cache: FieldCache, module: FieldTarget): ZohoField[] {
  return (cache.lists[module] ?? [])
    .filter(
      (f) => f.creatable && writableTypes.has(f.dataType) && !reservedFields[module].includes(f.apiName),
    )
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** A PepoSmart-like value of a module's Lead Source picklist that no row writes yet (the card's hint). */
export function leadSourceHint(rows: readonly FieldRow[], cache: FieldCache) {
  for (const module of ['Leads', 'Contacts'] as const) {
    const field = cache.lists[module]?.find((f) => f.apiName === 'Lead_Source' && f.creatable);
    const value = field?.picklist?.find((v) => /pepo\s*smart/i.test(`${v.display} ${v.actual}`));
    if (field && value && !rows.some((r) => r.module === module && r.field === 'Lead_Source'))
      return { module, field, value };
  }
  return undefined;
}

export interface FieldRowsView {
  rows: readonly FieldRow[];
  cache: FieldCache;
  /** Whether Meetings are synced: when not, no Meetings field is offered and their rows say so. */
  meetingsOn: boolean;
}

/** The card's section (`id="field-rows"`): the rows with Remove, the Lead Source hint, the first step. */
export function fieldRowsSection(v: FieldRowsView, csrf: string): Html {
  const csrfInput = html`<input type="hidden" name="_csrf" value="${csrf}">`;
  return html`<section id="field-rows" aria-labelledby="field-rows-title">
  <h4 id="field-rows-title">Field values on create</h4>
  <p class="meta">Fill fields of the Contacts and Leads PepoSmart adds, and of Meetings, with a fixed value, the
  event type, a booking-form answer, a UTM parameter or the booking date. A value that does not fit its field is
  left out and said on the Activity page; the rest of the sync goes ahead.</p>
  ${v.rows.length ? rowsList(v, csrfInput) : html`<p id="field-rows-none">No field values yet.</p>`}
  ${hint(v, csrfInput)}
  ${addForm(v)}
  <form method="post" action="/integrations/zoho/fields/refresh" class="actions" id="field-rows-refresh">${csrfInput}
    <button type="submit" class="secondary" id="field-rows-read">${v.cache.readAt ? 'Read the fields again' : 'Read fields from Zoho CRM'}</button>
    <span class="hint" id="field-rows-read-at">${
      v.cache.readAt
        ? html`Fields read from Zoho CRM <time datetime="${v.cache.readAt.toISOString()}">${utcMinute(v.cache.readAt)}</time>`
        : 'Fields not read yet'
    }</span>
  </form>
</section>`;
}

/** Each row as a sentence with its Remove button: a list, as a table cramps a phone's width. */
function rowsList(v: FieldRowsView, csrfInput: Html): Html {
  return html`<ul class="entries" id="field-rows-list" aria-labelledby="field-rows-title">${v.rows.map(
    (r) => {
      const list = v.cache.lists[r.module];
      const gone = list && !list.some((f) => f.apiName === r.field);
      const off = r.module === 'Events' && !v.meetingsOn;
      const name = r.label || r.field;
      return html`<li id="field-row-${r.id}" data-field="${r.module}.${r.field}"><div class="actions">
<span><strong>${name}</strong> of ${targetNames[r.module].toLowerCase()} ← ${describeSource(r.source)}${
        gone ? html` <span class="badge failed">No longer in Zoho CRM</span>` : ''
      }${off ? html` <span class="badge neutral">Meetings are off</span>` : ''}</span>
<form method="post" action="/integrations/zoho/field-rows/${encodeURIComponent(r.id)}/remove">${csrfInput}
<button type="submit" class="secondary" aria-label="Remove ${name} of ${targetNames[r.module].toLowerCase()}">Remove</button></form>
</div></li>`;
    },
  )}</ul>`;
}

function hint(v: FieldRowsView, csrfInput: Html): Html {
  const h = leadSourceHint(v.rows, v.cache);
  if (!h) return html``;
  return html`<div class="notice" id="lead-source-hint">Your ${h.field.label} list has “${h.value.display}”.
<form method="post" action="/integrations/zoho/field-rows">${csrfInput}
<input type="hidden" name="field" value="${h.module}.${h.field.apiName}">
<input type="hidden" name="source" value="fixed"><input type="hidden" name="fixed_value" value="${h.value.actual}">
<button type="submit" id="lead-source-add">Set ${h.field.label} to “${h.value.display}” on ${targetNames[h.module].toLowerCase()}</button></form></div>`;
}

function addForm(v: FieldRowsView): Html {
  const groups = fieldTargets
    .filter((t) => t !== 'Events' || v.meetingsOn)
    .map((t) => ({ t, fields: offeredFields(v.cache, t) }))
    .filter((g) => g.fields.length);
  if (!groups.length) return html``;
  return html`<form method="get" action="/integrations/zoho/field-rows/new" id="field-rows-add">
<label for="field-rows-field">Add a value for the field</label>
<select name="field" id="field-rows-field">${groups.map(
    (g) =>
      html`<optgroup label="${targetNames[g.t]}">${g.fields.map(
        (f) => html`<option value="${g.t}.${f.apiName}">${f.label}</option>`,
      )}</optgroup>`,
  )}</select>
<div class="actions"><button type="submit" class="secondary" id="field-rows-next">Next: choose the value</button></div>
</form>`;
}

/** What the second step's form holds (as sent, when it comes back with errors). */
export interface ValueFormInput {
  source?: string | undefined;
  fixed_value?: string | undefined;
  question?: string | undefined;
  utm_key?: string | undefined;
}

export type ValueFormErrors = Partial<Record<'source' | 'fixed_value' | 'question' | 'utm_key', string>>;

const controlIds = {
  source: 'value-source-fixed',
  fixed_value: 'value-fixed',
  question: 'value-question',
  utm_key: 'value-utm',
} as const;

function fixedControl(field: ZohoField, value: string, attrs: Html | string): Html {
  const options = (items: Array<{ value: string; label: string }>) =>
    html`<select name="fixed_value" id="value-fixed" aria-label="Value"${attrs}>${items.map(
      (o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label}</option>`,
    )}</select>`;
  if (field.picklist)
    return options(
      field.picklist.filter((p) => p.actual !== '-None-').map((p) => ({ value: p.actual, label: p.display })),
    );
  if (field.dataType === 'boolean')
    return options([
      { value: 'true', label: 'Yes (ticked)' },
      { value: 'false', label: 'No (not ticked)' },
    ]);
  return html`<input type="text" name="fixed_value" id="value-fixed" aria-label="Value" value="${value}" maxlength="2000" size="30" autocomplete="off"${attrs}>`;
}

const formats: Record<string, string> = {
  date: 'A date written yyyy-MM-dd, e.g. 2026-12-01.',
  datetime: 'A date and time with its offset, e.g. 2026-12-01T10:00:00+01:00.',
  integer: 'A whole number.',
  bigint: 'A whole number.',
  boolean: 'Yes or no.',
  email: 'An email address.',
  multiselectpicklist: 'Values of the list, separated by “;”.',
};

/** The field's type and limits in words, for the second step. */
export function fieldKind(f: ZohoField): string {
  const limit =
    f.length && ['text', 'textarea', 'phone', 'website', 'email'].includes(f.dataType)
      ? `, up to ${f.length} characters`
      : '';
  return `${f.dataType}${limit}`;
}

/** The second step: a value for `field` of `module`, from one of the sources that can fit it. */
export function valueForm(
  module: FieldTarget,
  field: ZohoField,
  csrf: string,
  input: ValueFormInput = {},
  errors: ValueFormErrors = {},
): Html {
  const src = input.source ?? 'fixed';
  const attrs = (k: keyof ValueFormErrors) =>
    errors[k] ? html` aria-invalid="true" aria-describedby="${controlIds[k]}-error"` : '';
  const message = (k: keyof ValueFormErrors) =>
    errors[k] ? html`<p class="field-error" id="${controlIds[k]}-error">${errors[k]}</p>` : '';
  const radio = (value: string, id: string, label: Html | string) =>
    html`<label><input type="radio" name="source" value="${value}" id="${id}"${src === value ? html` checked` : ''}${value === 'fixed' ? attrs('source') : ''}> ${label}</label>`;
  const dated = ['date', 'datetime', 'text', 'textarea'].includes(field.dataType);
  const entries = (Object.keys(errors) as Array<keyof ValueFormErrors>).map(
    (k) => html`<li><a href="#${controlIds[k]}">${errors[k]}</a></li>`,
  );
  return html`<h1>Add a field value</h1>
${entries.length ? html`<div class="problem" id="value-problems" role="alert"><strong>Check the fields marked below.</strong><ul class="entries">${entries}</ul></div>` : ''}
<section class="card" id="value-form-card" aria-labelledby="value-form-title">
<h2 id="value-form-title">${field.label} of ${targetNames[module].toLowerCase()}</h2>
<p class="meta" id="value-field-kind">Zoho CRM field <code>${field.apiName}</code>: ${fieldKind(field)}. ${formats[field.dataType] ?? ''}</p>
<form method="post" action="/integrations/zoho/field-rows" id="value-form" novalidate>
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="field" value="${module}.${field.apiName}">
<fieldset><legend>Value</legend>${message('source')}
${radio('fixed', 'value-source-fixed', field.picklist ? 'This value of the list:' : 'This value:')}
<div>${message('fixed_value')}${fixedControl(field, input.fixed_value ?? '', attrs('fixed_value'))}</div>
${radio('event_type', 'value-source-event-type', 'The event type’s name')}
${radio('response', 'value-source-response', 'The answer to a booking-form question, by its label:')}
<div>${message('question')}<input type="text" name="question" id="value-question" value="${input.question ?? ''}" maxlength="200" size="30" autocomplete="off" aria-label="Question label"${attrs('question')}></div>
${radio('utm', 'value-source-utm', 'A UTM parameter of the booking page:')}
<div>${message('utm_key')}<select name="utm_key" id="value-utm" aria-label="UTM parameter"${attrs('utm_key')}>${utmKeys.map(
    (k: UtmKey) => html`<option value="${k}"${input.utm_key === k ? html` selected` : ''}>utm_${k}</option>`,
  )}</select></div>
${dated ? radio('booking_date', 'value-source-booking-date', 'The booking date (in the booking’s time zone)') : ''}
</fieldset>
<div class="actions"><button type="submit" id="value-save">Add the field value</button>
<a class="button secondary" href="/integrations#field-rows" id="value-cancel">Cancel</a></div>
</form></section>`;
}
