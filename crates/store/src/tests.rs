use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Thing {
    id: String,
    n: u32,
}

impl Entity for Thing {
    const KIND: &'static str = "thing";
    fn id(&self) -> &str {
        &self.id
    }
}

fn thing(id: &str, n: u32) -> Thing {
    Thing { id: id.into(), n }
}

#[derive(Debug)]
struct Fail;
impl From<StoreError> for Fail {
    fn from(_: StoreError) -> Self {
        Fail
    }
}

fn scope() -> Scope {
    Scope::new("1", "cn-hangzhou")
}

/// The same behaviour is required of every backend.
fn suite(store: &Store) {
    let s = scope();
    store
        .write(|tx| {
            tx.put(&s, thing("a", 1));
            tx.put(&s, thing("b", 2));
            tx.put(&s, thing("c", 3));
            Ok::<_, Fail>(())
        })
        .unwrap();
    // A failing transaction leaves nothing behind, including its deletes and updates.
    let r: Result<(), Fail> = store.write(|tx| {
        tx.put(&s, thing("a", 100));
        tx.put(&s, thing("z", 9));
        assert!(tx.delete::<Thing>(&s, "b"));
        assert_eq!(tx.get::<Thing>(&s, "a").unwrap().n, 100);
        Err(Fail)
    });
    assert!(r.is_err());
    store.read(|v| {
        assert_eq!(v.list::<Thing>(&s), vec![thing("a", 1), thing("b", 2), thing("c", 3)]);
        assert!(v.get::<Thing>(&s, "z").is_none());
        // Other scopes are separate partitions.
        assert!(v.list::<Thing>(&Scope::new("1", "cn-beijing")).is_empty());
        let (page, total) = v.page::<Thing>(&s, |t| t.n >= 2, 1, 10);
        assert_eq!((page, total), (vec![thing("c", 3)], 2));
    });
    // Updates keep the creation order.
    store
        .write(|tx| {
            tx.put(&s, thing("a", 10));
            tx.delete::<Thing>(&s, "b");
            Ok::<_, Fail>(())
        })
        .unwrap();
    store.read(|v| assert_eq!(v.list::<Thing>(&s), vec![thing("a", 10), thing("c", 3)]));
}

#[test]
fn ephemeral_store_is_transactional() {
    suite(&Store::ephemeral());
}

#[test]
fn sqlite_store_is_transactional_and_durable() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::sqlite(dir.path()).unwrap();
        assert_eq!(store.storage_kind(), "sqlite");
        suite(&store);
    }
    let reopened = Store::sqlite(dir.path()).unwrap();
    reopened.read(|v| assert_eq!(v.list::<Thing>(&scope()), vec![thing("a", 10), thing("c", 3)]));
    // New rows after a reload go after the loaded ones.
    reopened
        .write(|tx| {
            tx.put(&scope(), thing("d", 4));
            Ok::<_, Fail>(())
        })
        .unwrap();
    reopened.read(|v| {
        let ids: Vec<_> = v.list::<Thing>(&scope()).into_iter().map(|t| t.id).collect();
        assert_eq!(ids, ["a", "c", "d"]);
    });
    reopened.reset().unwrap();
    drop(reopened);
    assert!(Store::sqlite(dir.path()).unwrap().read(|v| v.list::<Thing>(&scope()).is_empty()));
}

#[test]
fn a_panicking_transaction_is_rolled_back() {
    let store = Arc::new(Store::ephemeral());
    let s2 = store.clone();
    let joined = std::thread::spawn(move || {
        let _ = s2.write(|tx| {
            tx.put(&scope(), thing("x", 1));
            if tx.exists::<Thing>(&scope(), "x") {
                panic!("boom");
            }
            Ok::<_, Fail>(())
        });
    })
    .join();
    assert!(joined.is_err());
    assert!(store.read(|v| v.list::<Thing>(&scope()).is_empty()));
}

#[test]
fn concurrent_increments_are_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::sqlite(dir.path()).unwrap());
    store
        .write(|tx| {
            tx.put(&scope(), thing("counter", 0));
            Ok::<_, Fail>(())
        })
        .unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || {
                for _ in 0..250 {
                    store
                        .write(|tx| {
                            let mut c = tx.get::<Thing>(&scope(), "counter").unwrap();
                            c.n += 1;
                            tx.put(&scope(), c);
                            Ok::<_, Fail>(())
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(store.read(|v| v.get::<Thing>(&scope(), "counter").unwrap().n), 1000);
    drop(store);
    let reopened = Store::sqlite(dir.path()).unwrap();
    assert_eq!(reopened.read(|v| v.get::<Thing>(&scope(), "counter").unwrap().n), 1000);
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Child {
    id: String,
    owner: String,
}

impl Entity for Child {
    const KIND: &'static str = "child";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.owner)
    }
}

#[test]
fn children_are_indexed_by_parent_across_updates_rollbacks_and_reloads() {
    let dir = tempfile::tempdir().unwrap();
    let child = |id: &str, owner: &str| Child { id: id.into(), owner: owner.into() };
    let ids = |v: Vec<Child>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    {
        let store = Store::sqlite(dir.path()).unwrap();
        store
            .write(|tx| {
                tx.put(&scope(), child("c1", "p1"));
                tx.put(&scope(), child("c2", "p2"));
                tx.put(&scope(), child("c3", "p1"));
                Ok::<_, Fail>(())
            })
            .unwrap();
        // Moving c1 to p2 and deleting c3, then failing, changes nothing.
        let _ = store.write(|tx| {
            tx.put(&scope(), child("c1", "p2"));
            tx.delete::<Child>(&scope(), "c3");
            assert_eq!(ids(tx.children::<Child>(&scope(), "p2")), ["c1", "c2"]);
            Err::<(), _>(Fail)
        });
        store.read(|v| {
            assert_eq!(ids(v.children::<Child>(&scope(), "p1")), ["c1", "c3"]);
            assert_eq!(ids(v.children::<Child>(&scope(), "p2")), ["c2"]);
            assert!(v.children::<Child>(&scope(), "p9").is_empty());
        });
        store
            .write(|tx| {
                tx.put(&scope(), child("c1", "p2"));
                Ok::<_, Fail>(())
            })
            .unwrap();
    }
    let store = Store::sqlite(dir.path()).unwrap();
    store.read(|v| {
        assert_eq!(ids(v.children::<Child>(&scope(), "p1")), ["c3"]);
        assert_eq!(ids(v.children::<Child>(&scope(), "p2")), ["c1", "c2"], "creation order, not update order");
        let (page, total) = v.page_all::<Child>(&scope(), 1, 1);
        assert_eq!((ids(page), total), (vec!["c2".to_string()], 3));
    });
}

/// A backend whose commits fail while `broken` is set.
struct Flaky {
    broken: Arc<std::sync::atomic::AtomicBool>,
}

impl Backend for Flaky {
    fn kind(&self) -> &'static str {
        "flaky"
    }
    fn durable(&self) -> bool {
        true
    }
    fn load(&self) -> Result<Vec<Row>, StoreError> {
        Ok(Vec::new())
    }
    fn commit(&self, _: &[Write]) -> Result<(), StoreError> {
        if self.broken.load(std::sync::atomic::Ordering::SeqCst) {
            Err(StoreError::Backend("disk full".into()))
        } else {
            Ok(())
        }
    }
    fn clear(&self) -> Result<(), StoreError> {
        Ok(())
    }
    fn replace(&self, _: &[Row]) -> Result<(), StoreError> {
        if self.broken.load(std::sync::atomic::Ordering::SeqCst) {
            Err(StoreError::Backend("disk full".into()))
        } else {
            Ok(())
        }
    }
}

#[test]
fn a_failed_replace_changes_nothing() {
    let broken = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let store = Store::open(Box::new(Flaky { broken: broken.clone() })).unwrap();
    let scope = Scope::new("acct", "r");
    store
        .write(|tx| {
            tx.put(&scope, Thing { id: "kept".into(), n: 1 });
            Ok::<_, StoreError>(())
        })
        .unwrap();
    broken.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(store.replace(Vec::new()).is_err());
    assert!(store.read(|v| v.exists::<Thing>(&scope, "kept")));
}

#[test]
fn a_failed_commit_rolls_the_transaction_back() {
    let broken = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let store = Store::open(Box::new(Flaky { broken: broken.clone() })).unwrap();
    let put = |n: u32| {
        store.write(|tx| {
            tx.put(&scope(), thing("a", n));
            Ok::<_, Fail>(())
        })
    };
    put(1).unwrap();
    broken.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(put(2).is_err(), "the caller learns that its write did not happen");
    assert_eq!(store.read(|v| v.get::<Thing>(&scope(), "a")), Some(thing("a", 1)));
    broken.store(false, std::sync::atomic::Ordering::SeqCst);
    put(3).unwrap();
    assert_eq!(store.read(|v| v.get::<Thing>(&scope(), "a")), Some(thing("a", 3)));
}

#[test]
fn export_then_replace_round_trips_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let scope = Scope::new("acct", "cn-hangzhou");
    let rows = {
        let store = Store::sqlite(dir.path()).unwrap();
        store
            .write(|tx| {
                tx.put(&scope, Thing { id: "a".into(), n: 1 });
                tx.put(&scope, Thing { id: "b".into(), n: 2 });
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let rows = store.export().unwrap();
        assert_eq!(rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(store.counts().get(Thing::KIND), Some(&2));
        // Replace with only "b", changed.
        let mut kept: Vec<Row> = rows.into_iter().filter(|r| r.id == "b").collect();
        kept[0].body = serde_json::to_string(&Thing { id: "b".into(), n: 20 }).unwrap();
        store.replace(kept).unwrap();
        assert!(store.read(|v| v.get::<Thing>(&scope, "a")).is_none());
        assert_eq!(store.read(|v| v.get::<Thing>(&scope, "b")).map(|t| t.n), Some(20));
        store.export().unwrap()
    };
    let reopened = Store::sqlite(dir.path()).unwrap();
    assert_eq!(reopened.read(|v| v.get::<Thing>(&scope, "b")).map(|t| t.n), Some(20));
    assert!(reopened.read(|v| v.get::<Thing>(&scope, "a")).is_none());
    assert_eq!(reopened.export().unwrap().len(), rows.len());
}

#[test]
fn damaged_rows_are_refused_at_load_unless_repairing() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::sqlite(dir.path()).unwrap();
        store
            .write(|tx| {
                for (id, n) in [("a", 1), ("b", 2), ("c", 3)] {
                    tx.put(&scope(), thing(id, n));
                }
                Ok::<_, Fail>(())
            })
            .unwrap();
    }
    let db = rusqlite::Connection::open(dir.path().join("state.sqlite3")).unwrap();
    db.execute("UPDATE resources SET body = '{\"id\":\"b\",\"n\":' WHERE id = 'b'", []).unwrap();
    db.execute("UPDATE resources SET body = '{\"id\":\"other\",\"n\":3}' WHERE id = 'c'", []).unwrap();
    drop(db);

    let e = Store::sqlite(dir.path()).err().expect("damaged rows refused");
    let message = e.to_string();
    assert!(matches!(e, StoreError::Corrupt(_)), "{message}");
    assert!(message.starts_with("2 stored row(s) cannot be read"), "{message}");
    assert!(message.contains(r#"thing "b" (account "1", region "cn-hangzhou"): not JSON"#), "{message}");
    assert!(message.contains(r#"thing "c" (account "1", region "cn-hangzhou"): no field holds its id"#), "{message}");

    let repaired = Store::sqlite_with(dir.path(), true).unwrap();
    repaired.read(|v| assert_eq!(v.list::<Thing>(&scope()), vec![thing("a", 1)]));
    drop(repaired);
    let db = rusqlite::Connection::open(dir.path().join("state.sqlite3")).unwrap();
    let kept: Vec<(String, String)> = db
        .prepare("SELECT id, reason FROM quarantine ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[1], ("c".to_string(), "no field holds its id".to_string()));
    drop(db);
    // Repaired once, the state opens normally.
    Store::sqlite(dir.path()).unwrap().read(|v| assert_eq!(v.list::<Thing>(&scope()).len(), 1));
}

#[test]
fn an_emptied_database_file_is_refused_unless_repairing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.sqlite3");
    std::fs::write(&file, b"").unwrap();
    let e = Store::sqlite(dir.path()).err().expect("0-byte database refused");
    assert!(e.to_string().contains("exists but is empty (0 bytes)"), "{e}");
    assert_eq!(std::fs::metadata(&file).unwrap().len(), 0, "left as it was");
    let store = Store::sqlite_with(dir.path(), true).unwrap();
    store.read(|v| assert!(v.list::<Thing>(&scope()).is_empty()));
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with("state.sqlite3.empty-"));
    assert!(aside, "the empty file was moved aside");
}

/// Under writes that never pause, a PASSIVE checkpoint never lets the WAL start over; once it
/// passes the limit the checkpoint thread truncates it (here a 2 MB limit, to keep the test short).
#[test]
fn the_wal_is_cut_back_under_continuous_writes() {
    const LIMIT: u64 = 2 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(Box::new(SqliteBackend::open_tuned(dir.path(), false, LIMIT).unwrap())).unwrap());
    let wal = dir.path().join("state.sqlite3-wal");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (store, stop) = (store.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut i = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let t = thing(&format!("w{w}-{}", i % 1000), i);
                    store
                        .write(|tx| {
                            tx.put(&scope(), t);
                            Ok::<_, Fail>(())
                        })
                        .unwrap();
                    i += 1;
                }
            })
        })
        .collect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut largest = 0;
    let mut cut_back = false;
    while std::time::Instant::now() < deadline {
        let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
        if largest > LIMIT && size < LIMIT {
            cut_back = true;
            break;
        }
        largest = largest.max(size);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    assert!(largest > LIMIT, "the load never filled the WAL ({largest} bytes)");
    assert!(cut_back, "the WAL grew to {largest} bytes under continuous writes and was never cut back");
}
