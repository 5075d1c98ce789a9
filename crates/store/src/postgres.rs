//! The PostgreSQL backend of a shared deployment (`serve --database-url postgres://...`): any
//! number of replicas on one database behave as one server (see [`crate::shared`] for why).
//!
//! Tables (migrations in `crates/store/migrations/postgres/`, applied at start-up under an
//! advisory lock so that replicas starting together do not race): `resources` (the current
//! records), `changes` (what each version changed), `meta` (the version counter, whose row lock
//! is the write lock, and the floor below which replicas reload).
//!
//! Connections come from a pool; a connection that breaks is dropped from it and the next call
//! opens a new one, so a lost database costs the calls made while it is away a retryable error
//! (the caller maps [`StoreError::Unavailable`] to `ServiceUnavailable`), never a wrong answer.

use std::time::Duration;

use postgres::NoTls;
use r2d2::{Pool, PooledConnection};
use r2d2_postgres::PostgresConnectionManager;

use crate::shared::{CatchUp, Change, SharedBackend, SharedTx};
use crate::{Row, Scope, StoreError, Write};

type Manager = PostgresConnectionManager<NoTls>;
type Conn = PooledConnection<Manager>;

/// Migrations, in order: (version, SQL).
const MIGRATIONS: &[(i32, &str)] = &[(1, include_str!("../migrations/postgres/0001_initial.sql"))];

/// Changes older than this many versions are pruned (replicas further behind reload).
const KEEP_VERSIONS: u64 = 20_000;
/// How often (in versions) pruning runs.
const PRUNE_EVERY: u64 = 1_000;
/// An arbitrary key of the advisory lock that serializes migrations.
const MIGRATION_LOCK: i64 = 0x616c_6963_6c6f_7564;

pub struct PostgresBackend {
    pool: Pool<Manager>,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

impl PostgresBackend {
    /// Connects (pool of `pool_size`), and brings the schema up to date.
    pub fn connect(url: &str, pool_size: u32) -> Result<Self, StoreError> {
        let config: postgres::Config = url.parse().map_err(|e| StoreError::Backend(format!("database URL: {e}")))?;
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(Duration::from_secs(5))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(unavailable)?;
        let backend = Self { pool };
        backend.migrate()?;
        Ok(backend)
    }

    fn conn(&self) -> Result<Conn, StoreError> {
        self.pool.get().map_err(unavailable)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        conn.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).map_err(unavailable)?;
        let outcome = (|| -> Result<(), postgres::Error> {
            conn.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")?;
            for (version, sql) in MIGRATIONS {
                let done = conn.query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", &[version])?;
                if done.is_none() {
                    let mut tx = conn.transaction()?;
                    tx.batch_execute(sql)?;
                    tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[version])?;
                    tx.commit()?;
                }
            }
            Ok(())
        })();
        let _ = conn.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
        outcome.map_err(|e| StoreError::Backend(format!("migrating the database: {e}")))
    }
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn row_of(r: &postgres::Row) -> Result<Row, postgres::Error> {
    Ok(Row {
        kind: r.try_get("kind")?,
        scope: Scope { account: r.try_get("account")?, region: r.try_get("region")? },
        id: r.try_get("id")?,
        parent: r.try_get("parent")?,
        seq: to_u64(r.try_get("seq")?),
        body: r.try_get::<_, Option<String>>("body")?.unwrap_or_default(),
    })
}

const SELECT_RESOURCES: &str = "SELECT kind, account, region, id, parent, seq, body FROM resources";

/// (version, floor) of the meta row; `FOR UPDATE` takes the write lock.
fn meta(client: &mut impl postgres::GenericClient, lock: bool) -> Result<(u64, u64), postgres::Error> {
    let sql = if lock { "SELECT version, floor FROM meta FOR UPDATE" } else { "SELECT version, floor FROM meta" };
    let row = client.query_one(sql, &[])?;
    Ok((to_u64(row.try_get(0)?), to_u64(row.try_get(1)?)))
}

/// What a replica at `since` lacks, read in the caller's transaction.
fn catch_up_in(
    client: &mut impl postgres::GenericClient,
    since: u64,
    version: u64,
    floor: u64,
) -> Result<CatchUp, postgres::Error> {
    if since < floor {
        let rows = client.query(SELECT_RESOURCES, &[])?;
        return Ok(CatchUp::Reload(rows.iter().map(row_of).collect::<Result<_, _>>()?));
    }
    if since >= version {
        return Ok(CatchUp::Changes(Vec::new()));
    }
    let rows = client.query(
        "SELECT kind, account, region, id, parent, seq, body FROM changes WHERE version > $1 ORDER BY version, n",
        &[&(since as i64)],
    )?;
    let changes = rows
        .iter()
        .map(|r| {
            let removed = r.try_get::<_, Option<String>>("body")?.is_none();
            Ok(Change { row: row_of(r)?, removed })
        })
        .collect::<Result<_, postgres::Error>>()?;
    Ok(CatchUp::Changes(changes))
}

impl SharedBackend for PostgresBackend {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn load(&self) -> Result<(u64, Vec<Row>), StoreError> {
        let mut conn = self.conn()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(unavailable)?;
        let (version, _) = meta(&mut tx, false).map_err(unavailable)?;
        let rows = tx.query(SELECT_RESOURCES, &[]).map_err(unavailable)?;
        let rows = rows.iter().map(row_of).collect::<Result<Vec<_>, _>>().map_err(unavailable)?;
        tx.commit().map_err(unavailable)?;
        Ok((version, rows))
    }

    fn latest(&self) -> Result<u64, StoreError> {
        let mut conn = self.conn()?;
        meta(&mut *conn, false).map(|(v, _)| v).map_err(unavailable)
    }

    fn catch_up(&self, since: u64) -> Result<(u64, CatchUp), StoreError> {
        let mut conn = self.conn()?;
        // One snapshot for the version and the rows that bring a replica to it.
        let mut tx = conn
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(unavailable)?;
        let (version, floor) = meta(&mut tx, false).map_err(unavailable)?;
        let catch_up = catch_up_in(&mut tx, since, version, floor).map_err(unavailable)?;
        tx.commit().map_err(unavailable)?;
        Ok((version, catch_up))
    }

    fn begin(&self) -> Result<Box<dyn SharedTx + '_>, StoreError> {
        let mut conn = self.conn()?;
        conn.batch_execute("BEGIN").map_err(unavailable)?;
        let mut tx = PgTx { conn, version: 0, floor: 0, open: true };
        let (version, floor) = meta(&mut *tx.conn, true).map_err(unavailable)?;
        tx.version = version;
        tx.floor = floor;
        Ok(Box::new(tx))
    }

    fn replace(&self, rows: &[Row]) -> Result<u64, StoreError> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction().map_err(unavailable)?;
        let (version, _) = meta(&mut tx, true).map_err(unavailable)?;
        let next = version + 1;
        tx.batch_execute("DELETE FROM resources; DELETE FROM changes").map_err(unavailable)?;
        let insert = tx
            .prepare(
                "INSERT INTO resources (kind, account, region, id, parent, seq, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .map_err(unavailable)?;
        for r in rows {
            tx.execute(
                &insert,
                &[&r.kind, &r.scope.account, &r.scope.region, &r.id, &r.parent, &(r.seq as i64), &r.body],
            )
            .map_err(unavailable)?;
        }
        tx.execute("UPDATE meta SET version = $1, floor = $1", &[&(next as i64)]).map_err(unavailable)?;
        tx.commit().map_err(unavailable)?;
        Ok(next)
    }
}

/// Writes as parallel arrays, for `unnest`.
#[derive(Default)]
struct Columns {
    kinds: Vec<String>,
    accounts: Vec<String>,
    regions: Vec<String>,
    ids: Vec<String>,
    parents: Vec<Option<String>>,
    seqs: Vec<i64>,
    bodies: Vec<Option<String>>,
}

impl Columns {
    fn of<'a>(writes: impl Iterator<Item = &'a Write>) -> Self {
        let mut c = Columns::default();
        for w in writes {
            c.kinds.push(w.kind.to_string());
            c.accounts.push(w.scope.account.clone());
            c.regions.push(w.scope.region.clone());
            c.ids.push(w.id.clone());
            c.parents.push(w.parent.clone());
            c.seqs.push(w.seq as i64);
            c.bodies.push(w.body.clone());
        }
        c
    }
}

/// A write transaction on one pooled connection, opened with `BEGIN` and holding the meta row.
struct PgTx {
    conn: Conn,
    version: u64,
    floor: u64,
    open: bool,
}

impl SharedTx for PgTx {
    fn catch_up(&mut self, since: u64) -> Result<(u64, CatchUp), StoreError> {
        let catch_up = catch_up_in(&mut *self.conn, since, self.version, self.floor).map_err(unavailable)?;
        Ok((self.version, catch_up))
    }

    fn commit(mut self: Box<Self>, writes: &[Write]) -> Result<u64, StoreError> {
        let next = self.version + 1;
        let conn = &mut *self.conn;
        // Three statements whatever the number of writes: the rows go as arrays. `resources`
        // takes the last write of each record; `changes` all of them, in order.
        let all = Columns::of(writes.iter());
        let mut last = std::collections::HashMap::new();
        for (i, w) in writes.iter().enumerate() {
            last.insert((w.kind, &w.scope, &w.id), i);
        }
        let mut finals: Vec<usize> = last.into_values().collect();
        finals.sort_unstable();
        let fin = Columns::of(finals.into_iter().map(|i| &writes[i]));
        conn.execute(
            "DELETE FROM resources r USING unnest($1::text[], $2::text[], $3::text[], $4::text[]) \
             AS w(kind, account, region, id) \
             WHERE r.kind = w.kind AND r.account = w.account AND r.region = w.region AND r.id = w.id",
            &[&fin.kinds, &fin.accounts, &fin.regions, &fin.ids],
        )
        .map_err(unavailable)?;
        conn.execute(
            "INSERT INTO resources (kind, account, region, id, parent, seq, body) \
             SELECT kind, account, region, id, parent, seq, body FROM \
             unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) \
             AS w(kind, account, region, id, parent, seq, body) WHERE w.body IS NOT NULL",
            &[&fin.kinds, &fin.accounts, &fin.regions, &fin.ids, &fin.parents, &fin.seqs, &fin.bodies],
        )
        .map_err(unavailable)?;
        conn.execute(
            "INSERT INTO changes (version, n, kind, account, region, id, parent, seq, body) \
             SELECT $1, n, kind, account, region, id, parent, seq, body FROM \
             unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[]) \
             WITH ORDINALITY AS w(kind, account, region, id, parent, seq, body, n)",
            &[&(next as i64), &all.kinds, &all.accounts, &all.regions, &all.ids, &all.parents, &all.seqs, &all.bodies],
        )
        .map_err(unavailable)?;
        if next.is_multiple_of(PRUNE_EVERY) && next > KEEP_VERSIONS {
            let below = (next - KEEP_VERSIONS) as i64;
            conn.execute("DELETE FROM changes WHERE version <= $1", &[&below]).map_err(unavailable)?;
            conn.execute("UPDATE meta SET floor = GREATEST(floor, $1)", &[&below]).map_err(unavailable)?;
        }
        conn.execute("UPDATE meta SET version = $1", &[&(next as i64)]).map_err(unavailable)?;
        conn.batch_execute("COMMIT").map_err(unavailable)?;
        self.open = false;
        Ok(next)
    }
}

impl Drop for PgTx {
    fn drop(&mut self) {
        if self.open {
            // A connection that cannot roll back is broken; the pool drops it on its next check.
            let _ = self.conn.batch_execute("ROLLBACK");
        }
    }
}

/// A fresh, empty database on the test server named by `ALICLOUD_EMULATOR_TEST_DATABASE_URL`
/// (which `scripts/test` starts), as a URL; `None` when the variable is not set. For tests.
#[doc(hidden)]
pub fn fresh_test_database() -> Option<String> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let base = std::env::var("ALICLOUD_EMULATOR_TEST_DATABASE_URL").ok()?;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let name = format!("t_{}_{}_{}", std::process::id(), nanos, N.fetch_add(1, Ordering::Relaxed));
    let mut config: postgres::Config = base.parse().ok()?;
    let mut admin = config.connect(NoTls).ok()?;
    admin.batch_execute(&format!("CREATE DATABASE {name}")).ok()?;
    config.dbname(&name);
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("postgres").to_string();
    Some(format!("postgres://{user}@{host}:{port}/{name}"))
}
