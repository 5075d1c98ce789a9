-- alicloud-emulator state on PostgreSQL, shared by every replica (see crates/store/src/postgres.rs).
-- resources: the current record of every stored value, as the SQLite backend keeps them.
CREATE TABLE resources (
    kind    TEXT   NOT NULL,
    account TEXT   NOT NULL,
    region  TEXT   NOT NULL,
    id      TEXT   NOT NULL,
    parent  TEXT,
    seq     BIGINT NOT NULL,
    body    TEXT   NOT NULL,
    PRIMARY KEY (kind, account, region, id)
);
-- changes: what each committed transaction changed, by version, so that replicas catch up by
-- reading only what is new (body NULL: removed).
CREATE TABLE changes (
    version BIGINT NOT NULL,
    n       INTEGER NOT NULL,
    kind    TEXT   NOT NULL,
    account TEXT   NOT NULL,
    region  TEXT   NOT NULL,
    id      TEXT   NOT NULL,
    parent  TEXT,
    seq     BIGINT NOT NULL,
    body    TEXT,
    PRIMARY KEY (version, n)
);
-- meta: one row. version: the last committed transaction; floor: replicas whose image is older
-- than this reload everything (set by a reset or an import, and by pruning old changes).
CREATE TABLE meta (
    one     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    version BIGINT NOT NULL,
    floor   BIGINT NOT NULL
);
INSERT INTO meta (one, version, floor) VALUES (TRUE, 0, 0);
