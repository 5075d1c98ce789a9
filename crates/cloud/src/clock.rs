//! The emulated clock: wall-clock time plus an offset that the control endpoint can advance.
//! Every time-based rule (transition delays, CreationTime) reads this clock, so a test can move
//! time forward instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
            + time::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    pub fn now_ms(&self) -> i64 {
        (self.now().unix_timestamp_nanos() / 1_000_000) as i64
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
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_api() {
        assert_eq!(format_time(1_543_990_315_000), "2018-12-05T06:11:55Z");
    }

    #[test]
    fn advancing_moves_now() {
        let c = Clock::default();
        let before = c.now_ms();
        c.advance_ms(3_600_000);
        assert!(c.now_ms() - before >= 3_600_000);
    }
}
