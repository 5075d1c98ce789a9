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

fn checkpoint_in_background(path: std::path::PathBuf) -> Result<std::sync::mpsc::Sender<()>, StoreError> {
    let conn = Connection::open(&path)?;
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(CHECKPOINT_EVERY) {
                // PASSIVE never blocks the writer; a busy or failed round is retried next time.
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
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

impl SqliteBackend {
    /// Opens (or creates) `dir/state.sqlite3`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Backend(format!("{}: {e}", dir.display())))?;
        let path = dir.join("state.sqlite3");
        let conn = Connection::open(&path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // After a checkpoint the WAL is cut back to this size instead of keeping its peak size.
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn: Mutex::new(conn), _checkpointer: checkpoint_in_background(path)? })
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
}
