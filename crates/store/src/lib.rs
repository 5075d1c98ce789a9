//! Transactional state for every resource.
//!
//! The whole state lives in memory ([`Memory`]) as typed values, partitioned by resource kind and
//! [`Scope`] (account, region). Reads never touch the disk. A write transaction ([`Store::write`])
//! takes the one write lock and applies its changes to memory while keeping an undo log; an error
//! (or a panic) replays the undo log, so a rejected call changes nothing. A transaction that
//! succeeded is queued for the [`Backend`] and the call waits until it is durable: the first
//! waiting writer commits every queued transaction in one backend transaction (group commit). If
//! that commit fails, the queued transactions are undone, newest first, and all of them fail.
//! So every API call is atomic, concurrent calls never lose updates, and an answered write
//! survives a killed process.
//!
//! Resource code sees only [`Read`] and [`Tx`]; the backend (SQLite today, a networked database
//! later) is chosen at start-up.

mod backend;
mod memory;
mod postgres;
mod shared;

use std::ops::{Deref, DerefMut};
use std::path::Path;

use parking_lot::{Mutex, RwLock};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use backend::{Backend, MemoryBackend, Row, SqliteBackend, Write};
pub use memory::Memory;
pub use postgres::{fresh_database, fresh_test_database, PostgresBackend};
pub use shared::{CatchUp, Change, SharedBackend, SharedTx};

/// The partition every resource belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    pub account: String,
    pub region: String,
}

impl Scope {
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Self {
        Self { account: account.into(), region: region.into() }
    }
}

/// A stored resource type.
pub trait Entity: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Stable name of the table-like collection (`"vpc"`, `"vswitch"`...); part of the on-disk format.
    const KIND: &'static str;
    fn id(&self) -> &str;
    /// The id of the resource this one belongs to (a vSwitch's VPC...), indexed so that
    /// [`Read::children`] does not scan the whole scope.
    fn parent(&self) -> Option<&str> {
        None
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend: {0}")]
    Backend(String),
    /// The backend cannot be reached for now (a lost database connection): the call may be
    /// retried, and nothing it did was kept.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("stored {kind} {id} could not be encoded: {source}")]
    Encode { kind: &'static str, id: String, source: serde_json::Error },
    /// The stored state cannot be loaded as it is (corrupted rows, an emptied database file);
    /// opening with `repair` moves the damage aside instead.
    #[error("{0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

/// Read access, shared by snapshots ([`View`]) and write transactions ([`Tx`]).
pub trait Read {
    #[doc(hidden)]
    fn memory(&self) -> &Memory;

    fn get<T: Entity>(&self, scope: &Scope, id: &str) -> Option<T> {
        self.memory().get::<T>(scope, id)
    }

    /// The `T` with `id` in any region of `account` (for actions whose parameters name no region).
    fn find<T: Entity>(&self, account: &str, id: &str) -> Option<(Scope, T)> {
        self.memory().find::<T>(account, id)
    }

    fn exists<T: Entity>(&self, scope: &Scope, id: &str) -> bool {
        self.memory().get_ref::<T, _>(scope, id, |_| ()).is_some()
    }

    /// Every `T` of the scope, oldest first.
    fn list<T: Entity>(&self, scope: &Scope) -> Vec<T> {
        self.select(scope, |_: &T| true)
    }

    /// Every `T` of the scope matching `filter`, oldest first.
    fn select<T: Entity>(&self, scope: &Scope, mut filter: impl FnMut(&T) -> bool) -> Vec<T> {
        let mut out = Vec::new();
        self.memory().scan::<T>(scope, None, |t| {
            if filter(t) {
                out.push(t.clone());
            }
            true
        });
        out
    }

    /// The `T` whose [`Entity::parent`] is `parent`, oldest first (from the index).
    fn children<T: Entity>(&self, scope: &Scope, parent: &str) -> Vec<T> {
        let mut out = Vec::new();
        self.memory().scan::<T>(scope, Some(parent), |t| {
            out.push(t.clone());
            true
        });
        out
    }

    /// Ids of the `T` whose parent is `parent`, oldest first, without decoding them.
    fn child_ids<T: Entity>(&self, scope: &Scope, parent: &str) -> Vec<String> {
        self.memory().child_ids(T::KIND, scope, parent)
    }

    /// Number of `T` in the scope matching `filter`.
    fn count<T: Entity>(&self, scope: &Scope, mut filter: impl FnMut(&T) -> bool) -> usize {
        let mut n = 0;
        self.memory().scan::<T>(scope, None, |t| {
            n += usize::from(filter(t));
            true
        });
        n
    }

    /// Whether any `T` of the scope matches `filter` (stops at the first).
    fn any<T: Entity>(&self, scope: &Scope, mut filter: impl FnMut(&T) -> bool) -> bool {
        let mut found = false;
        self.memory().scan::<T>(scope, None, |t| {
            found = filter(t);
            !found
        });
        found
    }

    /// One page of the `T` matching `filter` (oldest first) and the total number matching;
    /// only the page is cloned.
    fn page<T: Entity>(
        &self,
        scope: &Scope,
        mut filter: impl FnMut(&T) -> bool,
        offset: usize,
        limit: usize,
    ) -> (Vec<T>, usize) {
        let mut total = 0;
        let mut out = Vec::new();
        self.memory().scan::<T>(scope, None, |t| {
            if filter(t) {
                if total >= offset && out.len() < limit {
                    out.push(t.clone());
                }
                total += 1;
            }
            true
        });
        (out, total)
    }

    /// One page of all the `T` of the scope and their number, without visiting the others.
    fn page_all<T: Entity>(&self, scope: &Scope, offset: usize, limit: usize) -> (Vec<T>, usize) {
        let mut out = Vec::new();
        let mut skipped = 0;
        self.memory().scan::<T>(scope, None, |t| {
            if skipped < offset {
                skipped += 1;
                return true;
            }
            out.push(t.clone());
            out.len() < limit
        });
        (out, self.memory().len::<T>(scope))
    }
}

/// A consistent read-only snapshot (held under the read lock).
pub struct View<'a> {
    mem: &'a Memory,
}

impl Read for View<'_> {
    fn memory(&self) -> &Memory {
        self.mem
    }
}

/// A write transaction. Changes are visible to the transaction at once and to everyone else
/// only if the closure passed to [`Store::write`] returns `Ok` and the backend commit succeeds.
pub struct Tx<'a> {
    mem: &'a mut Memory,
    undo: Vec<memory::Undo>,
    writes: Vec<Write>,
    persist_bodies: bool,
    failed: Option<StoreError>,
    committed: bool,
}

impl Read for Tx<'_> {
    fn memory(&self) -> &Memory {
        self.mem
    }
}

impl Tx<'_> {
    /// Insert or replace `value` (keyed by its id) in `scope`. An encoding failure (which plain
    /// data types never hit) surfaces when the transaction commits, so callers need no `?` here.
    pub fn put<T: Entity>(&mut self, scope: &Scope, value: T) {
        let body = if self.persist_bodies {
            match serde_json::to_string(&value) {
                Ok(body) => Some(body),
                Err(source) => {
                    self.failed.get_or_insert(StoreError::Encode { kind: T::KIND, id: value.id().to_string(), source });
                    return;
                }
            }
        } else {
            None
        };
        let id = value.id().to_string();
        let parent = value.parent().map(str::to_string);
        let (seq, undo) = self.mem.put(scope, value);
        self.undo.push(undo);
        if self.persist_bodies {
            self.writes.push(Write { kind: T::KIND, scope: scope.clone(), id, parent, seq, body });
        }
    }

    /// Remove the `T` with `id` from `scope`; returns whether it existed.
    pub fn delete<T: Entity>(&mut self, scope: &Scope, id: &str) -> bool {
        match self.mem.delete::<T>(scope, id) {
            Some((seq, undo)) => {
                self.undo.push(undo);
                if self.persist_bodies {
                    self.writes.push(Write {
                        kind: T::KIND,
                        scope: scope.clone(),
                        id: id.to_string(),
                        parent: None,
                        seq,
                        body: None,
                    });
                }
                true
            }
            None => false,
        }
    }

    fn rollback(&mut self) {
        while let Some(u) = self.undo.pop() {
            self.mem.undo(u);
        }
        self.writes.clear();
    }
}

impl Drop for Tx<'_> {
    // A transaction that is dropped without committing (error return or panic) leaves no trace.
    fn drop(&mut self) {
        if !self.committed {
            self.rollback();
        }
    }
}

/// A write transaction applied to memory whose changes are not durable yet.
struct Applied {
    ticket: u64,
    writes: Vec<Write>,
    undo: Vec<memory::Undo>,
}

/// The commit queue (group commit): transactions are applied to memory one at a time, in ticket
/// order, and made durable in batches by whichever waiting writer gets the commit lock first.
#[derive(Default)]
struct Queue {
    next_ticket: u64,
    /// Every ticket below this one has been committed or failed.
    settled_below: u64,
    /// Ticket ranges whose commit failed (they were rolled back), with the cause.
    failed: Vec<(std::ops::Range<u64>, String)>,
    applied: Vec<Applied>,
}

/// The state of the emulator: memory image plus durable backend.
pub struct Store {
    mem: RwLock<Memory>,
    queue: Mutex<Queue>,
    /// Held by the writer that commits the queued batch.
    committer: Mutex<()>,
    backend: Box<dyn Backend>,
    /// Set when the state is shared with other processes (then `backend` is unused).
    shared: Option<shared::Shared>,
}

impl Store {
    /// Opens a store over `backend`, loading everything it holds; refuses corrupted rows.
    pub fn open(backend: Box<dyn Backend>) -> Result<Self, StoreError> {
        Self::open_with(backend, false)
    }

    /// Opens a store over `backend`. Every row is checked first ([`check_row`]): rows are
    /// decoded lazily, so a damaged one would otherwise just vanish from lists (and orphan its
    /// children). Without `repair` any damaged row is an error naming them; with it they are moved
    /// to the backend's quarantine and a warning names them.
    pub fn open_with(backend: Box<dyn Backend>, repair: bool) -> Result<Self, StoreError> {
        let mut rows = backend.load()?;
        let bad: Vec<(usize, String)> =
            rows.iter().enumerate().filter_map(|(i, r)| check_row(r).err().map(|why| (i, why))).collect();
        if !bad.is_empty() {
            const NAMED: usize = 20;
            let mut named: Vec<String> = bad.iter().take(NAMED).map(|(i, why)| describe_row(&rows[*i], why)).collect();
            if bad.len() > NAMED {
                named.push(format!("and {} more", bad.len() - NAMED));
            }
            let list = named.join("; ");
            if !repair {
                return Err(StoreError::Corrupt(format!("{} stored row(s) cannot be read: {list}", bad.len())));
            }
            let damaged: Vec<(&Row, &str)> = bad.iter().map(|(i, why)| (&rows[*i], why.as_str())).collect();
            backend.quarantine(&damaged)?;
            tracing::warn!(count = bad.len(), rows = %list, "damaged rows moved to the quarantine table");
            let mut index = 0;
            let mut bad_iter = bad.iter().map(|(i, _)| *i).peekable();
            rows.retain(|_| {
                let drop = bad_iter.next_if_eq(&index).is_some();
                index += 1;
                !drop
            });
        }
        Ok(Self::with(Memory::load(rows), backend))
    }

    fn with(mem: Memory, backend: Box<dyn Backend>) -> Self {
        Self { mem: RwLock::new(mem), queue: Mutex::default(), committer: Mutex::new(()), backend, shared: None }
    }

    /// A store whose state is shared with other processes through `backend` (see [`shared`]).
    pub fn shared(backend: Box<dyn SharedBackend>) -> Result<Self, StoreError> {
        let (version, rows) = backend.load()?;
        let mut store = Self::with(Memory::load(rows), Box::new(MemoryBackend));
        store.shared = Some(shared::Shared {
            backend,
            version: std::sync::atomic::AtomicU64::new(version),
            generation: std::sync::atomic::AtomicU64::new(0),
        });
        Ok(store)
    }

    /// State on a PostgreSQL database shared by every replica.
    pub fn postgres(url: &str, pool_size: u32) -> Result<Self, StoreError> {
        Self::shared(Box::new(PostgresBackend::connect(url, pool_size)?))
    }

    /// Whether other processes share the state (then reads and writes may wait for the network).
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Changes whenever changes made by other processes are applied (0 for an unshared store).
    pub fn generation(&self) -> u64 {
        self.shared.as_ref().map_or(0, |s| s.generation.load(std::sync::atomic::Ordering::Acquire))
    }

    /// Brings the image up to the latest state committed by any process sharing it.
    fn catch_up(&self, sh: &shared::Shared) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        let latest = sh.backend.latest()?;
        if latest <= sh.version.load(Ordering::Acquire) {
            return Ok(());
        }
        let mut guard = self.mem.write();
        let since = sh.version.load(Ordering::Acquire);
        if latest <= since {
            return Ok(());
        }
        let (version, catch_up) = sh.backend.catch_up(since)?;
        sh.apply(&mut guard, version, catch_up);
        Ok(())
    }

    /// Catches up with every write acknowledged by any process sharing the state (nothing to do
    /// for an unshared store); fails only when a shared backend cannot be reached.
    pub fn refresh(&self) -> Result<(), StoreError> {
        match &self.shared {
            Some(sh) => self.catch_up(sh),
            None => Ok(()),
        }
    }

    /// Like [`Store::read`], after [`Store::refresh`].
    pub fn read_fresh<R>(&self, f: impl FnOnce(&View<'_>) -> R) -> Result<R, StoreError> {
        self.refresh()?;
        Ok(self.read(f))
    }

    /// A write transaction on shared state: under the backend's write lock, on an image brought
    /// up to the latest version, committed as the next version before the lock is released.
    fn write_shared<R, E: From<StoreError>>(
        &self,
        sh: &shared::Shared,
        f: impl FnOnce(&mut Tx<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut guard = self.mem.write();
        let mut lock = sh.backend.begin()?;
        let since = sh.version.load(std::sync::atomic::Ordering::Acquire);
        let (version, catch_up) = lock.catch_up(since)?;
        sh.apply(&mut guard, version, catch_up);
        let mut tx = Tx {
            mem: guard.deref_mut(),
            undo: Vec::new(),
            writes: Vec::new(),
            persist_bodies: true,
            failed: None,
            committed: false,
        };
        // On an error the transaction rolls back in memory (Tx's drop) and in the database
        // (the lock's drop).
        let out = f(&mut tx)?;
        if let Some(e) = tx.failed.take() {
            return Err(E::from(e));
        }
        if !tx.writes.is_empty() {
            let version = lock.commit(&tx.writes)?;
            sh.version.store(version, std::sync::atomic::Ordering::Release);
        }
        tx.committed = true;
        Ok(out)
    }

    /// Durable store in an SQLite database under `dir` (created if needed).
    pub fn sqlite(dir: &Path) -> Result<Self, StoreError> {
        Self::sqlite_with(dir, false)
    }

    /// [`Store::sqlite`], moving damaged state aside when `repair` is set (see [`Store::open_with`]
    /// and [`SqliteBackend::open_with`]).
    pub fn sqlite_with(dir: &Path, repair: bool) -> Result<Self, StoreError> {
        Self::open_with(Box::new(SqliteBackend::open_with(dir, repair)?), repair)
    }

    /// Nothing written anywhere; state dies with the process.
    pub fn ephemeral() -> Self {
        Self::with(Memory::default(), Box::new(MemoryBackend))
    }

    /// "sqlite", "memory" or "postgres".
    pub fn storage_kind(&self) -> &'static str {
        self.shared.as_ref().map_or_else(|| self.backend.kind(), |s| s.backend.kind())
    }

    /// Runs `f` on a consistent snapshot. It may see changes of write calls that have been
    /// applied but not answered yet (their commit is in flight); every answered write is durable.
    pub fn read<R>(&self, f: impl FnOnce(&View<'_>) -> R) -> R {
        let guard = self.mem.read();
        f(&View { mem: guard.deref() })
    }

    /// Runs `f` as one atomic transaction (see the crate docs) and returns once its changes are
    /// durable. Concurrent transactions are applied one after the other and committed to the
    /// backend together (group commit).
    pub fn write<R, E: From<StoreError>>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<R, E>) -> Result<R, E> {
        if let Some(sh) = &self.shared {
            return self.write_shared(sh, f);
        }
        let (ticket, out) = {
            let mut guard = self.mem.write();
            let mut tx = Tx {
                mem: guard.deref_mut(),
                undo: Vec::new(),
                writes: Vec::new(),
                persist_bodies: self.backend.durable(),
                failed: None,
                committed: false,
            };
            let out = f(&mut tx)?;
            if let Some(e) = tx.failed.take() {
                return Err(E::from(e));
            }
            tx.committed = true;
            if tx.writes.is_empty() {
                return Ok(out);
            }
            // Queued while the memory lock is held, so ticket order is the order of application.
            let mut queue = self.queue.lock();
            let ticket = queue.next_ticket;
            queue.next_ticket += 1;
            queue.applied.push(Applied {
                ticket,
                writes: std::mem::take(&mut tx.writes),
                undo: std::mem::take(&mut tx.undo),
            });
            (ticket, out)
        };
        self.make_durable(ticket).map_err(E::from)?;
        Ok(out)
    }

    /// Waits until `ticket` is committed, committing the queued batch if no one else is.
    fn make_durable(&self, ticket: u64) -> Result<(), StoreError> {
        let _committer = self.committer.lock();
        let batch = {
            let mut queue = self.queue.lock();
            if ticket < queue.settled_below {
                return match queue.failed.iter().find(|(r, _)| r.contains(&ticket)) {
                    Some((_, cause)) => Err(StoreError::Backend(cause.clone())),
                    None => Ok(()),
                };
            }
            std::mem::take(&mut queue.applied)
        };
        let mut batch = batch;
        let Some(last) = batch.last().map(|a| a.ticket) else { return Ok(()) };
        let first = batch[0].ticket;
        let writes: Vec<Write> = batch.iter_mut().flat_map(|a| std::mem::take(&mut a.writes)).collect();
        match self.backend.commit(&writes) {
            Ok(()) => {
                self.queue.lock().settled_below = last + 1;
                Ok(())
            }
            Err(e) => {
                // Undo the failed batch and everything applied since (which may build on it),
                // newest first; all of it fails.
                let mut mem = self.mem.write();
                let mut queue = self.queue.lock();
                let later = std::mem::take(&mut queue.applied);
                for applied in later.into_iter().rev().chain(batch.into_iter().rev()) {
                    for u in applied.undo.into_iter().rev() {
                        mem.undo(u);
                    }
                }
                let end = queue.next_ticket;
                queue.failed.push((first..end, e.to_string()));
                queue.settled_below = end;
                Err(e)
            }
        }
    }

    /// Every stored value, as rows (state export). Values are read from one consistent snapshot.
    pub fn export(&self) -> Result<Vec<Row>, StoreError> {
        self.mem.read().rows().map_err(StoreError::Backend)
    }

    /// Number of stored values of each kind (metrics).
    pub fn counts(&self) -> std::collections::BTreeMap<String, usize> {
        self.mem.read().counts()
    }

    /// Replaces the whole state with `rows`, atomically: on the backend in one transaction, then
    /// in memory. If the backend fails, nothing changes.
    pub fn replace(&self, rows: Vec<Row>) -> Result<(), StoreError> {
        if let Some(sh) = &self.shared {
            let mut guard = self.mem.write();
            let version = sh.backend.replace(&rows)?;
            sh.apply(&mut guard, version, CatchUp::Reload(rows));
            return Ok(());
        }
        let _committer = self.committer.lock();
        let mut guard = self.mem.write();
        let mut queue = self.queue.lock();
        self.backend.replace(&rows)?;
        // As with a reset, writes still queued are replaced with everything else.
        queue.applied.clear();
        queue.settled_below = queue.next_ticket;
        *guard = Memory::load(rows);
        Ok(())
    }

    /// Drops all state. The backend is cleared before the memory lock is taken, so reads go on
    /// while the disk works; writes applied meanwhile wait for the commit lock held here and are
    /// wiped with everything else (their callers are answered).
    pub fn reset(&self) -> Result<(), StoreError> {
        if self.shared.is_some() {
            return self.replace(Vec::new());
        }
        let _committer = self.committer.lock();
        self.backend.clear()?;
        let mut guard = self.mem.write();
        let mut queue = self.queue.lock();
        queue.applied.clear();
        queue.settled_below = queue.next_ticket;
        *guard = Memory::default();
        Ok(())
    }
}

/// Whether a stored row can be what it claims to be, without its type (rows are decoded lazily,
/// by the family that owns the kind): its body is a JSON object and one of its top-level fields
/// is the row's id (every [`Entity::id`] is a field of the entity). A row that passes may still
/// fail a typed decode; one that fails would certainly be lost.
pub fn check_row(row: &Row) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_str(&row.body).map_err(|e| format!("not JSON ({e})"))?;
    let serde_json::Value::Object(fields) = value else {
        return Err("not a JSON object".into());
    };
    if !fields.values().any(|v| v.as_str() == Some(row.id.as_str())) {
        return Err("no field holds its id".into());
    }
    Ok(())
}

fn describe_row(row: &Row, why: &str) -> String {
    format!("{} {:?} (account {:?}, region {:?}): {why}", row.kind, row.id, row.scope.account, row.scope.region)
}

#[cfg(test)]
mod tests;
