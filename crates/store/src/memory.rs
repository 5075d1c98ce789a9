//! The in-memory image: per kind and scope, values by id, their creation order, and an index of
//! children by parent id (vSwitches by VPC, route entries by route table...).

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

// Keys are ids the emulator generates, not attacker-chosen: a fast non-keyed hash is fine, and
// hashing is a large part of both lookups and start-up.
use rustc_hash::FxHashMap as HashMap;

use crate::{Entity, Row, Scope};

type AnyValue = Arc<dyn Stored>;

/// A typed value that can be written out again (state export) without knowing its type.
trait Stored: Any + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn to_json(&self) -> serde_json::Result<String>;
}

impl<T: Entity> Stored for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }
}

/// One stored value. Values written by this process are held typed; values loaded from the
/// backend are held as JSON and decoded on first use, so start-up does not pay for decoding.
struct Slot {
    seq: u64,
    parent: Option<Box<str>>,
    raw: Option<Box<str>>,
    typed: OnceLock<Option<AnyValue>>,
}

impl Slot {
    fn value<T: Entity>(&self) -> Option<&T> {
        self.typed
            .get_or_init(|| {
                let raw = self.raw.as_deref()?;
                serde_json::from_str::<T>(raw).ok().map(|t| Arc::new(t) as AnyValue)
            })
            .as_ref()?
            .as_any()
            .downcast_ref::<T>()
    }

    /// The value as JSON: as loaded, or encoded from its typed form.
    fn body(&self) -> Result<String, String> {
        if let Some(raw) = &self.raw {
            return Ok(raw.to_string());
        }
        match self.typed.get() {
            Some(Some(value)) => value.to_json().map_err(|e| e.to_string()),
            _ => Err("no value".into()),
        }
    }
}

#[derive(Default)]
struct Partition {
    by_id: HashMap<String, Arc<Slot>>,
    /// seq -> id: creation order
    order: BTreeMap<u64, String>,
    /// parent id -> its children as (seq, id), sorted by seq (lists are short, mostly appended)
    children: HashMap<Box<str>, Vec<(u64, String)>>,
}

impl Partition {
    fn insert(&mut self, id: String, slot: Arc<Slot>) {
        self.order.insert(slot.seq, id.clone());
        if let Some(parent) = &slot.parent {
            let kids = self.children.entry(parent.clone()).or_default();
            let at = kids.partition_point(|(seq, _)| *seq < slot.seq);
            kids.insert(at, (slot.seq, id.clone()));
        }
        self.by_id.insert(id, slot);
    }

    fn remove(&mut self, id: &str) -> Option<Arc<Slot>> {
        let slot = self.by_id.remove(id)?;
        self.order.remove(&slot.seq);
        if let Some(parent) = &slot.parent {
            if let Some(kids) = self.children.get_mut(parent) {
                kids.retain(|(seq, _)| *seq != slot.seq);
                if kids.is_empty() {
                    self.children.remove(parent);
                }
            }
        }
        Some(slot)
    }
}

/// Everything the store holds.
#[derive(Default)]
pub struct Memory {
    kinds: HashMap<&'static str, HashMap<Scope, Partition>>,
    /// Kinds loaded from disk before any code asked for them by their `&'static str`.
    loaded: HashMap<String, HashMap<Scope, Partition>>,
    next_seq: u64,
}

/// How to revert one change: put back what `id` held before (or nothing).
pub(crate) struct Undo {
    kind: &'static str,
    scope: Scope,
    id: String,
    prev: Option<Arc<Slot>>,
}

impl Memory {
    fn partition(&self, kind: &'static str, scope: &Scope) -> Option<&Partition> {
        self.kinds.get(kind).or_else(|| self.loaded.get(kind)).and_then(|p| p.get(scope))
    }

    fn partition_mut(&mut self, kind: &'static str, scope: &Scope) -> &mut Partition {
        if !self.kinds.contains_key(kind) {
            let adopted = self.loaded.remove(kind).unwrap_or_default();
            self.kinds.insert(kind, adopted);
        }
        self.kinds.entry(kind).or_default().entry(scope.clone()).or_default()
    }

    /// Builds the image from the backend's rows. Rows of one partition usually come together
    /// (the table's key order), so the partition is looked up once per run of rows.
    pub(crate) fn load(rows: Vec<Row>) -> Self {
        let mut mem = Memory::default();
        let mut run: Option<(String, Scope, Partition)> = None;
        for row in rows {
            mem.next_seq = mem.next_seq.max(row.seq + 1);
            let same = run.as_ref().is_some_and(|(kind, scope, _)| *kind == row.kind && *scope == row.scope);
            if !same {
                if let Some((kind, scope, part)) = run.take() {
                    mem.adopt(kind, scope, part);
                }
                let part = mem.loaded.get_mut(&row.kind).and_then(|p| p.remove(&row.scope)).unwrap_or_default();
                run = Some((row.kind.clone(), row.scope.clone(), part));
            }
            if let Some((_, _, part)) = run.as_mut() {
                let slot = Slot {
                    seq: row.seq,
                    parent: row.parent.map(Into::into),
                    raw: Some(row.body.into()),
                    typed: OnceLock::new(),
                };
                part.insert(row.id, Arc::new(slot));
            }
        }
        if let Some((kind, scope, part)) = run {
            mem.adopt(kind, scope, part);
        }
        mem
    }

    fn adopt(&mut self, kind: String, scope: Scope, part: Partition) {
        self.loaded.entry(kind).or_default().insert(scope, part);
    }

    pub(crate) fn get<T: Entity>(&self, scope: &Scope, id: &str) -> Option<T> {
        self.get_ref::<T, _>(scope, id, T::clone)
    }

    pub(crate) fn get_ref<T: Entity, R>(&self, scope: &Scope, id: &str, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.partition(T::KIND, scope)?.by_id.get(id)?.value::<T>().map(f)
    }

    pub(crate) fn find<T: Entity>(&self, account: &str, id: &str) -> Option<(Scope, T)> {
        let parts = self.kinds.get(T::KIND).or_else(|| self.loaded.get(T::KIND))?;
        parts.iter().filter(|(scope, _)| scope.account == account).find_map(|(scope, part)| {
            part.by_id.get(id).and_then(|s| s.value::<T>()).map(|v| (scope.clone(), v.clone()))
        })
    }

    /// Visits every `T` of the scope (or only the children of `parent`), oldest first, until `f`
    /// returns false.
    pub(crate) fn scan<T: Entity>(&self, scope: &Scope, parent: Option<&str>, mut f: impl FnMut(&T) -> bool) {
        let Some(part) = self.partition(T::KIND, scope) else { return };
        let ids: Box<dyn Iterator<Item = &String>> = match parent {
            None => Box::new(part.order.values()),
            Some(p) => match part.children.get(p) {
                Some(kids) => Box::new(kids.iter().map(|(_, id)| id)),
                None => return,
            },
        };
        for id in ids {
            if let Some(v) = part.by_id.get(id).and_then(|s| s.value::<T>()) {
                if !f(v) {
                    return;
                }
            }
        }
    }

    /// Ids of the children of `parent`, oldest first, from the index alone.
    pub(crate) fn child_ids(&self, kind: &'static str, scope: &Scope, parent: &str) -> Vec<String> {
        self.partition(kind, scope)
            .and_then(|p| p.children.get(parent))
            .map_or_else(Vec::new, |kids| kids.iter().map(|(_, id)| id.clone()).collect())
    }

    /// Number of `T` in the scope, without looking at them.
    pub(crate) fn len<T: Entity>(&self, scope: &Scope) -> usize {
        self.partition(T::KIND, scope).map_or(0, |p| p.by_id.len())
    }

    pub(crate) fn put<T: Entity>(&mut self, scope: &Scope, value: T) -> (u64, Undo) {
        let id = value.id().to_string();
        let parent = value.parent().map(Into::into);
        let fresh_seq = self.next_seq;
        let part = self.partition_mut(T::KIND, scope);
        let prev = part.remove(&id);
        let seq = prev.as_ref().map_or(fresh_seq, |p| p.seq);
        let typed = OnceLock::new();
        let _ = typed.set(Some(Arc::new(value) as AnyValue));
        part.insert(id.clone(), Arc::new(Slot { seq, parent, raw: None, typed }));
        if prev.is_none() {
            self.next_seq += 1;
        }
        (seq, Undo { kind: T::KIND, scope: scope.clone(), id, prev })
    }

    pub(crate) fn delete<T: Entity>(&mut self, scope: &Scope, id: &str) -> Option<(u64, Undo)> {
        let prev = self.partition_mut(T::KIND, scope).remove(id)?;
        Some((prev.seq, Undo { kind: T::KIND, scope: scope.clone(), id: id.to_string(), prev: Some(prev) }))
    }

    /// Every stored value as a backend row, partition by partition, oldest first.
    pub(crate) fn rows(&self) -> Result<Vec<Row>, String> {
        let kinds = self.kinds.iter().map(|(k, p)| (*k, p)).chain(self.loaded.iter().map(|(k, p)| (k.as_str(), p)));
        let mut rows = Vec::new();
        for (kind, parts) in kinds {
            for (scope, part) in parts {
                for id in part.order.values() {
                    let Some(slot) = part.by_id.get(id) else { continue };
                    let body = slot.body().map_err(|e| format!("{kind} {id}: {e}"))?;
                    rows.push(Row {
                        kind: kind.to_string(),
                        scope: scope.clone(),
                        id: id.clone(),
                        parent: slot.parent.as_deref().map(str::to_string),
                        seq: slot.seq,
                        body,
                    });
                }
            }
        }
        rows.sort_by(|a, b| (&a.kind, &a.scope, a.seq).cmp(&(&b.kind, &b.scope, b.seq)));
        Ok(rows)
    }

    /// Number of stored values of each kind.
    pub(crate) fn counts(&self) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        let kinds = self.kinds.iter().map(|(k, p)| (*k, p)).chain(self.loaded.iter().map(|(k, p)| (k.as_str(), p)));
        for (kind, parts) in kinds {
            *counts.entry(kind.to_string()).or_default() += parts.values().map(|p| p.by_id.len()).sum::<usize>();
        }
        counts
    }

    /// Applies one change committed by another process (shared backends): the row as stored,
    /// or its removal when `body` is `None`. Kept as JSON and decoded on first use, like rows
    /// loaded at start-up.
    pub(crate) fn apply(
        &mut self,
        kind: &str,
        scope: &Scope,
        id: &str,
        parent: Option<&str>,
        seq: u64,
        body: Option<&str>,
    ) {
        self.next_seq = self.next_seq.max(seq + 1);
        let parts = match self.kinds.get_mut(kind) {
            Some(parts) => parts,
            None => self.loaded.entry(kind.to_string()).or_default(),
        };
        let part = parts.entry(scope.clone()).or_default();
        part.remove(id);
        if let Some(body) = body {
            let slot = Slot { seq, parent: parent.map(Into::into), raw: Some(body.into()), typed: OnceLock::new() };
            part.insert(id.to_string(), Arc::new(slot));
        }
    }

    pub(crate) fn undo(&mut self, u: Undo) {
        let part = self.partition_mut(u.kind, &u.scope);
        part.remove(&u.id);
        if let Some(prev) = u.prev {
            part.insert(u.id, prev);
        }
    }
}
