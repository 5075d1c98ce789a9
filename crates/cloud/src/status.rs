//! Transitional states derived from timestamps: a resource created (or changed) at `since` is in
//! its transitional state until the configured delay has passed, then in its stable state. No
//! background job ever flips a status.

use crate::context::Call;

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
