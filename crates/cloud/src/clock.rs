//! The emulated clock: wall-clock time plus an offset that the control endpoint can advance.
//! Every time-based rule (transition delays, CreationTime) reads this clock, so a test can move
//! time forward instead of sleeping.
//!
//! The offset is state like any resource: [`Cloud::advance_clock`] stores it, a restarted server
//! reads it back (so CreationTimes never lie in the future of a restarted clock), and
//! [`Cloud::reset`] drops it with everything else.

use std::sync::atomic::{AtomicI64, Ordering};

use acs_store::{Entity, Read, Scope, StoreError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::context::Cloud;

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
    /// The latest time handed out: emulated time never goes backwards, even if the wall clock
    /// is stepped back, so a resource is never created "after" the call that reads it.
    last_ms: AtomicI64,
}

impl Clock {
    /// Emulated now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let wall = (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
        let now = wall + self.offset_ms.load(Ordering::Relaxed);
        self.last_ms.fetch_max(now, Ordering::Relaxed).max(now)
    }

    /// Moves emulated time forward by `ms` milliseconds.
    pub fn advance_ms(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Back to the wall clock (after a reset, time may go back: nothing older is left).
    fn restart_at(&self, offset_ms: i64) {
        self.offset_ms.store(offset_ms, Ordering::Relaxed);
        self.last_ms.store(0, Ordering::Relaxed);
    }
}

/// The stored offset of the emulated clock (one record, global).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ClockOffset {
    id: String,
    offset_ms: i64,
}

impl Entity for ClockOffset {
    const KIND: &'static str = "clock";
    fn id(&self) -> &str {
        &self.id
    }
}

const CLOCK_ID: &str = "clock";

fn clock_scope() -> Scope {
    Scope::new("", "")
}

impl Cloud {
    /// Moves emulated time forward by `ms` and stores the new offset; returns once it is durable.
    pub fn advance_clock(&self, ms: i64) -> Result<(), StoreError> {
        self.store.write(|tx| {
            // Under the write lock and from the stored value, so concurrent advances (of any
            // replica) add up.
            let stored = tx.get::<ClockOffset>(&clock_scope(), CLOCK_ID).map_or(0, |c| c.offset_ms);
            let offset_ms = stored.saturating_add(ms);
            tx.put(&clock_scope(), ClockOffset { id: CLOCK_ID.into(), offset_ms });
            self.clock.offset_ms.store(offset_ms, Ordering::Relaxed);
            Ok::<_, StoreError>(())
        })
    }

    /// Emulated now for a call reading `r`. With a shared store the stored offset is the truth
    /// (another replica may have moved it); otherwise the cached one is.
    pub fn now_in(&self, r: &impl Read) -> i64 {
        if self.store.is_shared() {
            let offset = r.get::<ClockOffset>(&clock_scope(), CLOCK_ID).map_or(0, |c| c.offset_ms);
            if offset != self.clock.offset_ms() {
                self.clock.restart_at(offset);
            }
        }
        self.clock.now_ms()
    }

    /// Emulated now, after catching up with the other replicas of a shared store.
    pub fn now_fresh(&self) -> Result<i64, StoreError> {
        self.store.read_fresh(|view| self.now_in(view))
    }

    /// Takes the clock offset from the store (at start-up, and after the state is replaced).
    pub fn load_clock(&self) {
        let offset =
            self.store.read(|view| view.get::<ClockOffset>(&clock_scope(), CLOCK_ID)).map_or(0, |c| c.offset_ms);
        self.clock.restart_at(offset);
    }

    /// Drops all state, the clock offset included.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.store.reset()?;
        self.load_clock();
        Ok(())
    }
}

/// `YYYY-MM-DDThh:mm:ssZ`, the API's time format.
pub fn format_time(ms: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DDThh:mmZ`, the time format of ECS (CreationTime, ExpiredTime).
pub fn format_minutes(ms: i64) -> String {
    let full = format_time(ms);
    format!("{}Z", &full[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_api() {
        assert_eq!(format_time(1_543_990_315_000), "2018-12-05T06:11:55Z");
        assert_eq!(format_minutes(1_543_990_315_000), "2018-12-05T06:11Z");
    }

    #[test]
    fn advancing_moves_now() {
        let c = Clock::default();
        let before = c.now_ms();
        c.advance_ms(3_600_000);
        assert!(c.now_ms() - before >= 3_600_000);
    }
}
