//! The in-memory image: per kind and scope, values by id plus their creation order.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use crate::{Entity, Row, Scope};

type AnyValue = Arc<dyn Any + Send + Sync>;

/// One stored value. Values written by this process are held typed; values loaded from the
/// backend are held as JSON and decoded on first use, so start-up does not pay for decoding.
struct Slot {
    seq: u64,
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
            .downcast_ref::<T>()
    }
}

#[derive(Default)]
struct Partition {
    by_id: HashMap<String, Arc<Slot>>,
    order: BTreeMap<u64, String>,
}

/// Everything the store holds.
#[derive(Default)]
pub struct Memory {
    kinds: HashMap<&'static str, HashMap<Scope, Partition>>,
    /// Kinds loaded from disk before any code asked for them by their `&'static str`.
    loaded: HashMap<String, HashMap<Scope, Partition>>,
    next_seq: u64,
}

/// How to revert one change.
pub(crate) struct Undo {
    kind: &'static str,
    scope: Scope,
    id: String,
    prev: Option<Arc<Slot>>,
    /// seq of the value this change inserted, when it inserted a new key
    inserted_seq: Option<u64>,
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

    pub(crate) fn load_row(&mut self, row: Row) {
        let part = self.loaded.entry(row.kind).or_default().entry(row.scope).or_default();
        part.order.insert(row.seq, row.id.clone());
        part.by_id.insert(row.id, Arc::new(Slot { seq: row.seq, raw: Some(row.body.into()), typed: OnceLock::new() }));
        self.next_seq = self.next_seq.max(row.seq + 1);
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

    pub(crate) fn scan<T: Entity>(&self, scope: &Scope, mut f: impl FnMut(&T)) {
        let Some(part) = self.partition(T::KIND, scope) else {
            return;
        };
        for id in part.order.values() {
            if let Some(v) = part.by_id.get(id).and_then(|s| s.value::<T>()) {
                f(v);
            }
        }
    }

    pub(crate) fn put<T: Entity>(&mut self, scope: &Scope, value: T) -> (u64, Undo) {
        let id = value.id().to_string();
        let fresh_seq = self.next_seq;
        let part = self.partition_mut(T::KIND, scope);
        let prev = part.by_id.get(&id).cloned();
        let (seq, inserted_seq) = match &prev {
            Some(p) => (p.seq, None),
            None => (fresh_seq, Some(fresh_seq)),
        };
        let typed = OnceLock::new();
        let _ = typed.set(Some(Arc::new(value) as AnyValue));
        part.by_id.insert(id.clone(), Arc::new(Slot { seq, raw: None, typed }));
        if inserted_seq.is_some() {
            part.order.insert(seq, id.clone());
            self.next_seq += 1;
        }
        (seq, Undo { kind: T::KIND, scope: scope.clone(), id, prev, inserted_seq })
    }

    pub(crate) fn delete<T: Entity>(&mut self, scope: &Scope, id: &str) -> Option<(u64, Undo)> {
        let part = self.partition_mut(T::KIND, scope);
        let prev = part.by_id.remove(id)?;
        part.order.remove(&prev.seq);
        let seq = prev.seq;
        Some((
            seq,
            Undo { kind: T::KIND, scope: scope.clone(), id: id.to_string(), prev: Some(prev), inserted_seq: None },
        ))
    }

    pub(crate) fn undo(&mut self, u: Undo) {
        let part = self.partition_mut(u.kind, &u.scope);
        if let Some(seq) = u.inserted_seq {
            part.order.remove(&seq);
            part.by_id.remove(&u.id);
        }
        if let Some(prev) = u.prev {
            part.order.insert(prev.seq, u.id.clone());
            part.by_id.insert(u.id, prev);
        }
    }
}
