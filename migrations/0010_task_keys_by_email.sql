-- Task references and claims were keyed by the Zoho record they were made on
-- (task:<booking>:<record id>:<words>). When Zoho converts a Lead or merges a record it carries
-- the Tasks over to another record, whose id then missed them and a re-processed meeting made
-- them again. They are keyed by the attendee's address now, as Notes are: each key's record id
-- becomes the address of the person reference naming that record (one per record, the first).
WITH old AS (
  SELECT t.connection_id, t.kind, t.key,
         substring(t.key from '^task:(.*):[0-9]+:[0-9a-f]{32}$') AS booking,
         substring(t.key from ':([0-9]+):[0-9a-f]{32}$') AS record_id,
         right(t.key, 32) AS words
    FROM sync_refs t
   WHERE t.kind = 'task' AND t.key ~ '^task:.*:[0-9]+:[0-9a-f]{32}$'
), renamed AS (
  SELECT old.connection_id, old.kind, old.key,
         'task:' || old.booking || ':' || min(p.key) || ':' || old.words AS new_key
    FROM old
    JOIN sync_refs p ON p.connection_id = old.connection_id AND p.kind = 'person' AND p.zoho_id = old.record_id
   GROUP BY old.connection_id, old.kind, old.key, old.booking, old.words
)
UPDATE sync_refs s SET key = renamed.new_key
  FROM renamed
 WHERE s.connection_id = renamed.connection_id AND s.kind = renamed.kind AND s.key = renamed.key
   AND NOT EXISTS (SELECT 1 FROM sync_refs x
                    WHERE x.connection_id = renamed.connection_id AND x.kind = 'task' AND x.key = renamed.new_key);

WITH old AS (
  SELECT c.connection_id, c.kind, c.key,
         substring(c.key from '^task:(.*):[0-9]+:[0-9a-f]{32}$') AS booking,
         substring(c.key from ':([0-9]+):[0-9a-f]{32}$') AS record_id,
         right(c.key, 32) AS words
    FROM sync_claims c
   WHERE c.kind = 'task' AND c.key ~ '^task:.*:[0-9]+:[0-9a-f]{32}$'
), renamed AS (
  SELECT old.connection_id, old.kind, old.key,
         'task:' || old.booking || ':' || min(p.key) || ':' || old.words AS new_key
    FROM old
    JOIN sync_refs p ON p.connection_id = old.connection_id AND p.kind = 'person' AND p.zoho_id = old.record_id
   GROUP BY old.connection_id, old.kind, old.key, old.booking, old.words
)
UPDATE sync_claims s SET key = renamed.new_key
  FROM renamed
 WHERE s.connection_id = renamed.connection_id AND s.kind = renamed.kind AND s.key = renamed.key
   AND NOT EXISTS (SELECT 1 FROM sync_claims x
                    WHERE x.connection_id = renamed.connection_id AND x.kind = 'task' AND x.key = renamed.new_key);
