//! Durable backends. A backend only persists and reloads rows; all reads are served from memory.
//! A networked database (PostgreSQL for a shared deployment) is one more implementation of
//! [`Backend`]: resource code never sees which one is in use.

use std::path::Path;

use parking_lot::Mutex;
use rusqlite::{params, Connection};

use crate::{Scope, StoreError};

/// One stored resource as the backend sees it.
pub struct Row {
    pub kind: String,
    pub scope: Scope,
    pub id: String,
    /// [`Entity::parent`](crate::Entity::parent), stored so the index is rebuilt without decoding
    pub parent: Option<String>,
    /// creation order, stable across updates
    pub seq: u64,
    /// the resource as JSON
    pub body: String,
}

/// One change of a committed transaction: `body: None` deletes.
pub struct Write {
    pub kind: &'static str,
    pub scope: Scope,
    pub id: String,
    pub parent: Option<String>,
    pub seq: u64,
    pub body: Option<String>,
}

pub trait Backend: Send + Sync {
    /// Name reported by `/_emulator/health`.
    fn kind(&self) -> &'static str;
    /// Whether transactions must hand their changes over (false: nothing is persisted).
    fn durable(&self) -> bool;
    fn load(&self) -> Result<Vec<Row>, StoreError>;
    /// Persists all writes atomically; when this returns Ok they survive a process kill.
    fn commit(&self, writes: &[Write]) -> Result<(), StoreError>;
    fn clear(&self) -> Result<(), StoreError>;
    /// Replaces everything stored with `rows`, atomically (state import).
    fn replace(&self, rows: &[Row]) -> Result<(), StoreError>;
    /// Moves damaged rows out of the loaded state, keeping them for inspection, with the reason
    /// each was refused. Backends that load nothing never get any.
    fn quarantine(&self, rows: &[(&Row, &str)]) -> Result<(), StoreError> {
        match rows.first() {
            None => Ok(()),
            Some((row, _)) => {
                Err(StoreError::Backend(format!("{} cannot quarantine {} {}", self.kind(), row.kind, row.id)))
            }
        }
    }
}

/// `--ephemeral`: nothing is written.
pub struct MemoryBackend;

impl Backend for MemoryBackend {
    fn kind(&self) -> &'static str {
        "memory"
    }
    fn durable(&self) -> bool {
        false
    }
    fn load(&self) -> Result<Vec<Row>, StoreError> {
        Ok(Vec::new())
    }
    fn commit(&self, _: &[Write]) -> Result<(), StoreError> {
        Ok(())
    }
    fn clear(&self) -> Result<(), StoreError> {
        Ok(())
    }
    fn replace(&self, _: &[Row]) -> Result<(), StoreError> {
        Ok(())
    }
}

/// SQLite in WAL mode with `synchronous=NORMAL`: a commit is in the WAL file before `commit`
/// returns, so it survives the process being killed (SIGKILL); a power loss may drop the last
/// commits, which is acceptable for an emulator and keeps durable creates fast.
///
/// Checkpoints (copying the WAL into the database, with fsyncs) run on a second connection in a
/// background thread, so that no API call waits for one inside its commit. Transactions queued
/// by concurrent calls are committed together (group commit, see [`crate::Store::write`]).
pub struct SqliteBackend {
    conn: Mutex<Connection>,
    /// Dropping it stops the checkpoint thread.
    _checkpointer: std::sync::mpsc::Sender<()>,
}

/// How often the background thread checkpoints the WAL. Rarer checkpoints cost less in total
/// and disturb fewer calls (BENCHMARKS.md: 500 ms gave a worse create p99 than 5 s).
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
/// How often the WAL's size is looked at.
const WAL_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// A WAL larger than this is checkpointed and truncated at once (see
/// [`checkpoint_in_background`]); also the size SQLite cuts it back to after a checkpoint.
pub const WAL_LIMIT_BYTES: u64 = 64 * 1024 * 1024;
/// How long the truncating checkpoint waits for the writer (it holds the write lock while it
/// runs; commits wait for it up to their own busy timeout).
const TRUNCATE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The checkpoint thread. Every [`CHECKPOINT_EVERY`] a PASSIVE checkpoint copies what it can
/// without blocking the writer. Under continuous writes that never lets the WAL start over (new
/// frames always follow the last checkpointed one), so the file would grow without bound: when
/// it passes [`WAL_LIMIT_BYTES`] a TRUNCATE checkpoint waits for the writer (commits pause for
/// the time of one checkpoint), copies everything and cuts the file to zero. A busy or failed
/// round is retried at the next check.
fn checkpoint_in_background(
    path: std::path::PathBuf,
    wal_limit: u64,
) -> Result<std::sync::mpsc::Sender<()>, StoreError> {
    let conn = Connection::open(&path)?;
    conn.busy_timeout(TRUNCATE_BUSY_TIMEOUT)?;
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let mut last_passive = std::time::Instant::now();
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(WAL_CHECK_EVERY) {
                let wal_bytes = std::fs::metadata(&wal).map_or(0, |m| m.len());
                if wal_bytes > wal_limit {
                    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
                    last_passive = std::time::Instant::now();
                } else if last_passive.elapsed() >= CHECKPOINT_EVERY {
                    // PASSIVE never blocks the writer.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    last_passive = std::time::Instant::now();
                }
            }
        })
        .map_err(|e| StoreError::Backend(format!("checkpoint thread: {e}")))?;
    Ok(stop)
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS resources (
    kind    TEXT NOT NULL,
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    id      TEXT NOT NULL,
    parent  TEXT,
    seq     INTEGER NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (kind, account, region, id)
) WITHOUT ROWID;
";

/// Damaged rows moved aside by `--repair`: the columns of `resources`, why, and when.
const QUARANTINE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS quarantine AS SELECT *, '' AS reason, '' AS moved_at FROM resources WHERE 0;
";

impl SqliteBackend {
    /// Opens (or creates) `dir/state.sqlite3`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        Self::open_with(dir, false)
    }

    /// Opens (or creates) `dir/state.sqlite3`. A database file that exists but is empty (0 bytes:
    /// truncated, or replaced) is refused, since SQLite would silently start a new empty state
    /// in it; with `repair` it is renamed aside (with its WAL) and a new one is started.
    pub fn open_with(dir: &Path, repair: bool) -> Result<Self, StoreError> {
        Self::open_tuned(dir, repair, WAL_LIMIT_BYTES)
    }

    /// [`SqliteBackend::open_with`] with another WAL limit (tests use a small one).
    pub(crate) fn open_tuned(dir: &Path, repair: bool, wal_limit: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Backend(format!("{}: {e}", dir.display())))?;
        let path = dir.join("state.sqlite3");
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            if !repair {
                return Err(StoreError::Corrupt(format!(
                    "{} exists but is empty (0 bytes); the state it held is gone",
                    path.display()
                )));
            }
            set_aside(&path)?;
        }
        let conn = Connection::open(&path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // After a checkpoint the WAL is cut back to this size instead of keeping its peak size.
        conn.pragma_update(None, "journal_size_limit", wal_limit as i64)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn: Mutex::new(conn), _checkpointer: checkpoint_in_background(path, wal_limit)? })
    }
}

impl Backend for SqliteBackend {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn durable(&self) -> bool {
        true
    }

    fn load(&self) -> Result<Vec<Row>, StoreError> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare("SELECT kind, account, region, id, parent, seq, body FROM resources")?;
        let rows = stmt.query_map([], |r| {
            Ok(Row {
                kind: r.get(0)?,
                scope: Scope { account: r.get(1)?, region: r.get(2)? },
                id: r.get(3)?,
                parent: r.get(4)?,
                seq: r.get::<_, i64>(5)? as u64,
                body: r.get(6)?,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>().map_err(Into::into)
    }

    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT OR REPLACE INTO resources (kind, account, region, id, parent, seq, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut delete = tx
                .prepare_cached("DELETE FROM resources WHERE kind = ?1 AND account = ?2 AND region = ?3 AND id = ?4")?;
            for w in writes {
                match &w.body {
                    Some(body) => {
                        upsert.execute(params![
                            w.kind,
                            w.scope.account,
                            w.scope.region,
                            w.id,
                            w.parent,
                            w.seq as i64,
                            body
                        ])?;
                    }
                    None => {
                        delete.execute(params![w.kind, w.scope.account, w.scope.region, w.id])?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn clear(&self) -> Result<(), StoreError> {
        self.conn.lock().execute("DELETE FROM resources", [])?;
        Ok(())
    }

    fn replace(&self, rows: &[Row]) -> Result<(), StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM resources", [])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO resources (kind, account, region, id, parent, seq, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for r in rows {
                insert.execute(params![
                    r.kind,
                    r.scope.account,
                    r.scope.region,
                    r.id,
                    r.parent,
                    r.seq as i64,
                    r.body
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn quarantine(&self, rows: &[(&Row, &str)]) -> Result<(), StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        tx.execute_batch(QUARANTINE_SCHEMA)?;
        {
            let mut keep = tx.prepare(
                "INSERT INTO quarantine (kind, account, region, id, parent, seq, body, reason, moved_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            )?;
            let mut delete =
                tx.prepare("DELETE FROM resources WHERE kind = ?1 AND account = ?2 AND region = ?3 AND id = ?4")?;
            for (r, why) in rows {
                keep.execute(params![
                    r.kind,
                    r.scope.account,
                    r.scope.region,
                    r.id,
                    r.parent,
                    r.seq as i64,
                    r.body,
                    why
                ])?;
                delete.execute(params![r.kind, r.scope.account, r.scope.region, r.id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Renames an empty database file and its WAL/SHM files to `<name>.empty-<unix seconds>`.
fn set_aside(path: &Path) -> Result<(), StoreError> {
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    for suffix in ["", "-wal", "-shm"] {
        let from = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if from.exists() {
            let to = std::path::PathBuf::from(format!("{}{suffix}.empty-{stamp}", path.display()));
            std::fs::rename(&from, &to)
                .map_err(|e| StoreError::Backend(format!("cannot move {} aside: {e}", from.display())))?;
            tracing::warn!(from = %from.display(), to = %to.display(), "empty database file moved aside");
        }
    }
    Ok(())
}
