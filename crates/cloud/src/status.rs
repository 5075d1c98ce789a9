//! Transitional states derived from timestamps: a resource created (or changed) at `since` is in
//! its transitional state until the configured delay has passed, then in its stable state. No
//! background job ever flips a status.

use crate::context::Call;

/// Whether a transition that started at `since_ms` has finished at `now_ms` when transitions
/// last `delay_ms` (0: at once). Every family's transitional states are derived from this.
pub fn settled_at(now_ms: i64, since_ms: i64, delay_ms: i64) -> bool {
    delay_ms <= 0 || now_ms >= since_ms.saturating_add(delay_ms)
}

pub const PENDING: &str = "Pending";
pub const AVAILABLE: &str = "Available";

/// "Pending" during the transition, "Available" after it.
pub fn pending_or_available(call: &Call<'_>, since_ms: i64) -> &'static str {
    if call.settled(since_ms) {
        AVAILABLE
    } else {
        PENDING
    }
}
