//! Backends shared by several emulator processes (replicas on one PostgreSQL database).
//!
//! Each replica keeps the same in-memory image as a single process, tagged with the version of
//! the shared state it reflects. Consistency comes from two rules:
//! - **Writes are serialized across replicas.** A write transaction first takes the backend's
//!   write lock (a row lock on the version counter), then brings the image up to the latest
//!   committed version, runs the handler on it, and commits its changes as the next version
//!   before the lock is released. So every rule checked by a handler (quotas, uniqueness,
//!   dependencies, ClientTokens) sees everything committed by every replica, exactly as in one
//!   process.
//! - **Reads catch up first.** A read compares the image's version with the committed one (one
//!   indexed single-row query) and applies what it lacks, so a write acknowledged by any replica
//!   is seen by the next call on every replica.
//!
//! Changes are kept by version, so catching up reads only what is new; a replica whose image is
//! older than the backend's floor (after a reset, an import, or pruning) reloads everything.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::memory::Memory;
use crate::{Row, StoreError, Write};

/// One change of a committed transaction, as another replica applies it.
pub struct Change {
    pub row: Row,
    /// The record was removed (the row's body is empty).
    pub removed: bool,
}

/// What a replica needs to reach the latest version.
pub enum CatchUp {
    /// The changes committed after the replica's version, oldest first.
    Changes(Vec<Change>),
    /// Everything, for a replica older than the backend's floor.
    Reload(Vec<Row>),
}

pub trait SharedBackend: Send + Sync {
    /// Name reported by `/_emulator/health`.
    fn kind(&self) -> &'static str;
    /// Everything stored, and the version it reflects (at start-up).
    fn load(&self) -> Result<(u64, Vec<Row>), StoreError>;
    /// The latest committed version.
    fn latest(&self) -> Result<u64, StoreError>;
    /// What a replica at `since` lacks, and the version that brings it to.
    fn catch_up(&self, since: u64) -> Result<(u64, CatchUp), StoreError>;
    /// Takes the write lock (released when the transaction commits or is dropped).
    fn begin(&self) -> Result<Box<dyn SharedTx + '_>, StoreError>;
    /// Replaces everything with `rows` as one new version (reset: no rows); returns it.
    fn replace(&self, rows: &[Row]) -> Result<u64, StoreError>;
}

/// A write transaction holding the write lock. Dropped without [`SharedTx::commit`]: rolled back.
pub trait SharedTx {
    /// What a replica at `since` lacks, and the version that brings it to (the latest: no one
    /// else can commit while the lock is held).
    fn catch_up(&mut self, since: u64) -> Result<(u64, CatchUp), StoreError>;
    /// Commits `writes` as the next version; returns it.
    fn commit(self: Box<Self>, writes: &[Write]) -> Result<u64, StoreError>;
}

/// A store's link to a shared backend.
pub(crate) struct Shared {
    pub backend: Box<dyn SharedBackend>,
    /// The version the memory image reflects (changed only under the memory write lock).
    pub version: AtomicU64,
    /// Bumped whenever changes of other replicas are applied, so that callers caching derived
    /// values (the clock offset) know to look again.
    pub generation: AtomicU64,
}

impl Shared {
    /// Applies a catch-up to the image (memory write lock held by the caller).
    pub fn apply(&self, mem: &mut Memory, version: u64, catch_up: CatchUp) {
        let changed = match catch_up {
            CatchUp::Changes(changes) => {
                let any = !changes.is_empty();
                for c in changes {
                    let r = &c.row;
                    let body = (!c.removed).then_some(r.body.as_str());
                    mem.apply(&r.kind, &r.scope, &r.id, r.parent.as_deref(), r.seq, body);
                }
                any
            }
            CatchUp::Reload(rows) => {
                *mem = Memory::load(rows);
                true
            }
        };
        self.version.store(version, Ordering::Release);
        if changed {
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
    }
}
