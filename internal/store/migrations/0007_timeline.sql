-- A person's timeline reads the audit entries about her newest first, a page at a time:
-- with seq in the index that is a range scan ending at the page's cursor, however long
-- her history. It replaces the index on (entity, entity_id), which it covers.

CREATE INDEX audit_entity_seq ON audit_log (entity, entity_id, seq);
DROP INDEX audit_entity;
