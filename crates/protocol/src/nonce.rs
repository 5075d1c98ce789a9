//! Replay protection: remembers (AccessKeyId, nonce) pairs for as long as a request carrying
//! them could still pass the timestamp check, then forgets them.
//!
//! Each pair is kept once, as a fixed-size digest (the first 128 bits of SHA-256 over the
//! length-prefixed pair) in a hash set of the time bucket it expires in: 16 bytes plus the set's
//! slack, about 20 to 40 bytes per accepted call whatever the nonce's length. Whole buckets are
//! dropped once past, so an entry may outlive its expiry by up to one bucket ([`BUCKETS`] per
//! window), which only makes replay protection longer. Nonces longer than [`MAX_NONCE_LEN`] are
//! refused before they get here.

use parking_lot::Mutex;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, SystemTime};

/// Nonces seen recently, per AccessKeyId. Thread-safe; memory is bounded by the request rate
/// times twice the window (plus a bucket), since every entry expires at most 2 x window after it
/// was stored.
#[derive(Debug)]
pub struct NonceCache {
    window_ns: i128,
    bucket_ns: i128,
    inner: Mutex<Inner>,
}

/// The longest SignatureNonce accepted, in bytes. The SDKs send 32 hex digits or a UUID (36);
/// some append a timestamp or a process id. Longer ones are refused (`InvalidParameter`).
pub const MAX_NONCE_LEN: usize = 128;

/// Expiry buckets per window: a lookup probes at most 2 x BUCKETS + 1 sets.
const BUCKETS: i128 = 16;

#[derive(Debug, Default)]
struct Inner {
    /// bucket number -> digests of the pairs expiring by the end of it (bucket x bucket_ns)
    buckets: BTreeMap<i128, HashSet<u128>>,
    len: usize,
}

/// 128 bits of SHA-256 over the length-prefixed pair: distinct pairs collide with probability
/// about 2^-128 per pair of entries, and the cost of an entry does not depend on the nonce.
fn digest(access_key_id: &str, nonce: &str) -> u128 {
    let mut h = Sha256::new();
    // The length prefix keeps (ak, nonce) pairs distinct whatever characters they contain.
    h.update((access_key_id.len() as u64).to_le_bytes());
    h.update(access_key_id.as_bytes());
    h.update(nonce.as_bytes());
    let full = h.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&full[..16]);
    u128::from_le_bytes(first)
}

impl NonceCache {
    pub fn new(window: Duration) -> Self {
        let window_ns: i128 = window.as_nanos().try_into().unwrap_or(i128::MAX);
        Self { window_ns, bucket_ns: (window_ns / BUCKETS).max(1), inner: Mutex::default() }
    }

    /// Number of remembered nonces (after the last pruning).
    pub fn len(&self) -> usize {
        self.inner.lock().len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records the nonce and returns true if it is unused; returns false (and changes nothing
    /// but pruning) if it was already seen. `signed_at_ns` is the request's own timestamp: the
    /// same request stays acceptable until signed_at + window, which can be later than
    /// now + window when the client clock is ahead, so the entry must live that long.
    pub(crate) fn check_and_insert(&self, access_key_id: &str, nonce: &str, now_ns: i128, signed_at_ns: i128) -> bool {
        let expiry = now_ns.max(signed_at_ns).saturating_add(self.window_ns);
        // The first bucket ending at or after the expiry.
        let bucket = expiry.saturating_add(self.bucket_ns - 1).div_euclid(self.bucket_ns);
        let key = digest(access_key_id, nonce);
        let mut inner = self.inner.lock();
        inner.prune(now_ns, self.bucket_ns);
        if inner.buckets.values().any(|set| set.contains(&key)) {
            return false;
        }
        inner.buckets.entry(bucket).or_default().insert(key);
        inner.len += 1;
        true
    }
}

impl Inner {
    /// Drops the buckets that ended before `now_ns`.
    fn prune(&mut self, now_ns: i128, bucket_ns: i128) {
        while let Some(entry) = self.buckets.first_entry() {
            if entry.key().saturating_mul(bucket_ns) >= now_ns {
                break;
            }
            self.len -= entry.remove().len();
        }
    }
}

/// Unix time in nanoseconds, negative before 1970; never panics.
pub(crate) fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
        Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i128 = 1_000_000_000;

    #[test]
    fn rejects_reuse_per_access_key() {
        let c = NonceCache::new(Duration::from_secs(900));
        assert!(c.check_and_insert("ak", "n1", 0, 0));
        assert!(!c.check_and_insert("ak", "n1", S, 0));
        assert!(c.check_and_insert("other", "n1", S, 0));
        // The length prefix keeps "a"+"kn1" apart from "ak"+"n1".
        assert!(c.check_and_insert("a", "kn1", S, 0));
    }

    #[test]
    fn entries_are_digests_of_the_whole_pair() {
        let c = NonceCache::new(Duration::from_secs(900));
        let long = "x".repeat(4096);
        assert!(c.check_and_insert("ak", &format!("{long}1"), 0, 0));
        // Same long prefix, different last byte: a different entry.
        assert!(c.check_and_insert("ak", &format!("{long}2"), 0, 0));
        assert!(!c.check_and_insert("ak", &format!("{long}1"), 0, 0));
        assert_eq!(digest("ak", "n"), digest("ak", "n"));
        assert_ne!(digest("ak", "n"), digest("akn", ""));
    }

    #[test]
    fn prunes_after_the_window() {
        let c = NonceCache::new(Duration::from_secs(1));
        for i in 0..10_000i128 {
            // one request every 10 ms for 100 s, each signed "now"
            let now = i * S / 100;
            assert!(c.check_and_insert("ak", &format!("n{i}"), now, now));
            // A second's worth of calls, plus at most one bucket (1/16 s) kept a little longer.
            assert!(c.len() <= 108, "len {} at {i}", c.len());
        }
        assert!(c.check_and_insert("ak", "last", 1000 * S, 1000 * S));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn future_timestamps_are_kept_until_they_expire() {
        let c = NonceCache::new(Duration::from_secs(10));
        // Signed 9 s in the future: still replayable until 19 s.
        assert!(c.check_and_insert("ak", "n", 0, 9 * S));
        assert!(!c.check_and_insert("ak", "n", 15 * S, 9 * S));
        assert!(!c.check_and_insert("ak", "n", 19 * S, 9 * S));
        assert!(c.check_and_insert("ak", "n", 20 * S, 9 * S));
    }

    #[test]
    fn unix_nanos_both_sides_of_epoch() {
        assert_eq!(unix_nanos(SystemTime::UNIX_EPOCH + Duration::from_secs(2)), 2 * S);
        assert_eq!(unix_nanos(SystemTime::UNIX_EPOCH - Duration::from_secs(2)), -2 * S);
    }
}
