//! One storage test suite, run on every backend: in memory, SQLite, and PostgreSQL (a fresh
//! database per test on the server named by `ALICLOUD_EMULATOR_TEST_DATABASE_URL`, which
//! `scripts/test` starts; without it the PostgreSQL runs are skipped and say so).

use std::sync::Arc;

use acs_store::{Entity, Read, Scope, Store, StoreError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Counter {
    id: String,
    n: u64,
    parent: Option<String>,
}

impl Entity for Counter {
    const KIND: &'static str = "counter";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }
}

fn counter(id: &str, n: u64) -> Counter {
    Counter { id: id.into(), n, parent: None }
}

fn scope() -> Scope {
    Scope::new("acct", "cn-hangzhou")
}

/// A backend under test: how to open (and reopen) a store on it.
struct Backend {
    name: &'static str,
    open: Box<dyn Fn() -> Store>,
    durable: bool,
    shared: bool,
}

fn backends() -> Vec<Backend> {
    let dir = Arc::new(tempfile::tempdir().expect("tempdir"));
    let mut all = vec![
        Backend { name: "memory", open: Box::new(Store::ephemeral), durable: false, shared: false },
        Backend {
            name: "sqlite",
            open: Box::new(move || Store::sqlite(dir.path()).expect("sqlite")),
            durable: true,
            shared: false,
        },
    ];
    match acs_store::fresh_test_database() {
        Some(url) => all.push(Backend {
            name: "postgres",
            open: Box::new(move || Store::postgres(&url, 4).expect("postgres")),
            durable: true,
            shared: true,
        }),
        None => eprintln!("ALICLOUD_EMULATOR_TEST_DATABASE_URL not set: PostgreSQL runs skipped"),
    }
    all
}

fn put(store: &Store, c: Counter) {
    store
        .write(|tx| {
            tx.put(&scope(), c);
            Ok::<_, StoreError>(())
        })
        .expect("write");
}

fn get(store: &Store, id: &str) -> Option<Counter> {
    store.read_fresh(|v| v.get::<Counter>(&scope(), id)).expect("read")
}

#[test]
fn writes_are_read_back_and_failed_transactions_leave_nothing() {
    for b in backends() {
        let store = (b.open)();
        put(&store, counter("a", 1));
        assert_eq!(get(&store, "a"), Some(counter("a", 1)), "{}", b.name);
        let failed: Result<(), StoreError> = store.write(|tx| {
            tx.put(&scope(), counter("a", 99));
            tx.put(&scope(), counter("b", 1));
            Err(StoreError::Backend("rule broken".into()))
        });
        assert!(failed.is_err());
        assert_eq!(get(&store, "a"), Some(counter("a", 1)), "{}: rolled back", b.name);
        assert_eq!(get(&store, "b"), None, "{}", b.name);
        // A record written then removed in one transaction is gone.
        store
            .write(|tx| {
                tx.put(&scope(), counter("c", 1));
                tx.delete::<Counter>(&scope(), "c");
                Ok::<_, StoreError>(())
            })
            .expect("write");
        assert_eq!(get(&store, "c"), None, "{}", b.name);
    }
}

#[test]
fn state_survives_reopening_durable_backends() {
    for b in backends().into_iter().filter(|b| b.durable) {
        {
            let store = (b.open)();
            put(&store, counter("kept", 7));
            put(&store, Counter { id: "child".into(), n: 1, parent: Some("kept".into()) });
            put(&store, counter("gone", 1));
            store.write(|tx| Ok::<_, StoreError>(tx.delete::<Counter>(&scope(), "gone"))).expect("delete");
        }
        let store = (b.open)();
        assert_eq!(get(&store, "kept").map(|c| c.n), Some(7), "{}", b.name);
        assert_eq!(get(&store, "gone"), None, "{}", b.name);
        let children = store.read(|v| v.children::<Counter>(&scope(), "kept"));
        assert_eq!(children.len(), 1, "{}: the parent index is rebuilt", b.name);
    }
}

#[test]
fn reset_and_replace_swap_the_whole_state() {
    for b in backends() {
        let store = (b.open)();
        put(&store, counter("a", 1));
        put(&store, counter("b", 2));
        let rows: Vec<_> = store.export().expect("export").into_iter().filter(|r| r.id == "b").collect();
        store.replace(rows).expect("replace");
        assert_eq!((get(&store, "a"), get(&store, "b").map(|c| c.n)), (None, Some(2)), "{}", b.name);
        store.reset().expect("reset");
        assert_eq!(get(&store, "b"), None, "{}", b.name);
        put(&store, counter("after", 1));
        assert_eq!(store.export().expect("export").len(), 1, "{}", b.name);
        if b.durable {
            drop(store);
            let store = (b.open)();
            assert_eq!((get(&store, "b"), get(&store, "after").map(|c| c.n)), (None, Some(1)), "{}", b.name);
        }
    }
}

#[test]
fn concurrent_increments_are_never_lost() {
    for b in backends() {
        // Shared backends: two stores (two replicas) on one database; others: one store.
        let first = Arc::new((b.open)());
        let second = if b.shared { Arc::new((b.open)()) } else { Arc::clone(&first) };
        put(&first, counter("n", 0));
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let store = if i % 2 == 0 { Arc::clone(&first) } else { Arc::clone(&second) };
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        store
                            .write(|tx| {
                                let mut c = tx.get::<Counter>(&scope(), "n").expect("counter");
                                c.n += 1;
                                tx.put(&scope(), c);
                                Ok::<_, StoreError>(())
                            })
                            .expect("increment");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        assert_eq!(get(&first, "n").map(|c| c.n), Some(200), "{}", b.name);
        assert_eq!(get(&second, "n").map(|c| c.n), Some(200), "{}", b.name);
    }
}

#[test]
fn replicas_read_each_others_writes_at_once() {
    for b in backends().into_iter().filter(|b| b.shared) {
        let (a, c) = ((b.open)(), (b.open)());
        for i in 0..50 {
            put(&a, counter(&format!("x{i}"), i));
            assert_eq!(get(&c, &format!("x{i}")).map(|x| x.n), Some(i), "written by one, read by the other");
            c.write(|tx| Ok::<_, StoreError>(tx.delete::<Counter>(&scope(), &format!("x{i}")))).expect("delete");
            assert_eq!(get(&a, &format!("x{i}")), None);
        }
        // Creation order (seq) stays unique across replicas.
        put(&a, counter("first", 0));
        put(&c, counter("second", 0));
        put(&a, counter("third", 0));
        let order: Vec<String> =
            c.read_fresh(|v| v.list::<Counter>(&scope())).expect("read").into_iter().map(|x| x.id).collect();
        assert_eq!(order, ["first", "second", "third"]);
        // A reset through one is seen by the other.
        a.reset().expect("reset");
        assert_eq!(get(&c, "first"), None);
        put(&c, counter("again", 1));
        assert_eq!(get(&a, "again").map(|x| x.n), Some(1));
    }
}
