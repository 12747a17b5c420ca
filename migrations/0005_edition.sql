-- The Zoho CRM edition of the connected org (from GET /org license_details), which sets how
-- many calls at once Zoho allows per org: the sync holds to it across all workers.
ALTER TABLE connections ADD COLUMN zoho_edition text;
