//! The emulated clock: wall-clock time plus an offset that the control endpoint can advance.
//! Every time-based rule (transition delays, CreationTime) reads this clock, so a test can move
//! time forward instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

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
