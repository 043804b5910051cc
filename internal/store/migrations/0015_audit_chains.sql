-- One keyed chain per organisation (decision 0013). An entry names its chain (the
-- organisation's id; 0 for the installation's own entries) and its place in it; the
-- entries written before this migration keep chain_seq NULL and their unkeyed SHA-256
-- chain, which the first entry of the installation chain pins (Store.startKeyedChains).
ALTER TABLE audit_log ADD COLUMN chain BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT;
-- Two appends to one chain can never take one number: the chain cannot fork.
CREATE UNIQUE INDEX audit_chain_seq ON audit_log (chain, chain_seq);

-- Each chain's newest number and hash. An append updates its chain's row first, which
-- queues the appends of one organisation and leaves the others' alone.
CREATE TABLE audit_chains (
    chain BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- The old single head stays, read once to pin the unkeyed entries.
ALTER TABLE audit_head RENAME TO audit_legacy_head;

-- seq still numbers every entry in the order written. PostgreSQL takes it from a
-- sequence, so that organisations do not wait on each other for it; SQLite has one
-- writer at a time and takes the next after the largest.
-- dialect: postgres
CREATE SEQUENCE audit_seq;
SELECT setval('audit_seq', (SELECT seq FROM audit_legacy_head WHERE id = 1) + 1, false);
