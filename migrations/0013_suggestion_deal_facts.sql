-- What tells a deal from another of the same name on the pages (its closing date, …), as Zoho
-- CRM gave it when the suggestion was made: the pages show it without asking Zoho again at each
-- view. Suggestions made before have none ('{}'). The contact's other open deals keep theirs in
-- their own entries of other_deals.
ALTER TABLE suggestions ADD COLUMN deal_facts jsonb NOT NULL DEFAULT '{}';
