/**
 * Field values on create (issue 16): the rows a user sets on the Zoho card, each writing one
 * value into one field of a new Contact, a new Lead or a Meeting. Stored as the connection's
 * `field_rows` (jsonb, migration 0014).
 */
export type FieldTarget = 'Contacts' | 'Leads' | 'Events';

/** Where a row's value comes from. */
export type ValueSource =
  /** A value the user typed, or picked from the field's picklist. */
  | { kind: 'fixed'; value: string }
  /** The booking's event type name. */
  | { kind: 'event_type' }
  /** The answer to this booking-form question (the booking's `responses`, by label). */
  | { kind: 'response'; question: string }
  /** One of the booking page's UTM parameters (the booking's `utm`). */
  | { kind: 'utm'; key: 'source' | 'medium' | 'campaign' | 'term' | 'content' }
  /** The day the meeting was booked (the event's `created_at`, in the booking's time zone). */
  | { kind: 'booking_date' };

export interface FieldRow {
  /** Stable id of the row, for the card's Remove button. */
  id: string;
  module: FieldTarget;
  /** The field's API name in the org (from /settings/fields). */
  field: string;
  /** The field's label when the row was saved, to name it after Zoho deletes it. */
  label: string;
  source: ValueSource;
}
