//! The emulator's own endpoints under `/_emulator/` (not part of any cloud API).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::server::App;

/// `GET /_emulator/health`
pub async fn health(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "storage": app.cloud.store.storage_kind(),
    }))
}

/// `POST /_emulator/reset`: drops all state.
pub async fn reset(State(app): State<Arc<App>>) -> (StatusCode, Json<Value>) {
    match app.cloud.store.reset() {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok" }))),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "status": "error", "message": e.to_string() }))),
    }
}

/// `GET /_emulator/clock`: the emulated current time.
pub async fn clock(State(app): State<Arc<App>>) -> Json<Value> {
    let now = app.cloud.clock.now_ms();
    Json(json!({
        "now": acs_cloud::clock::format_time(now),
        "now_ms": now,
        "offset_ms": app.cloud.clock.offset_ms(),
    }))
}

/// `POST /_emulator/clock/advance` with `{"seconds": N}`: moves emulated time forward.
pub async fn advance_clock(State(app): State<Arc<App>>, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    let seconds = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("seconds").and_then(Value::as_f64));
    match seconds {
        Some(s) if s.is_finite() && s >= 0.0 => {
            app.cloud.clock.advance_ms((s * 1000.0).round() as i64);
            (StatusCode::OK, clock(State(app)).await)
        }
        _ => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "status": "error", "message": "expected a JSON body {\"seconds\": N} with N >= 0" })),
        ),
    }
}

pub async fn not_found() -> (StatusCode, Json<Value>) {
    (StatusCode::NOT_FOUND, Json(json!({ "status": "error", "message": "no such emulator endpoint" })))
}
