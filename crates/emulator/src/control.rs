//! The emulator's own endpoints under `/_emulator/` (not part of any cloud API).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
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
    blocking(app, |app| app.cloud.store.reset().map(|()| json!({ "status": "ok" })).map_err(|e| (500, e.to_string())))
        .await
}

/// Runs a control call that writes on the blocking pool (a commit may wait for the disk, see
/// rpc.rs) and answers with its outcome.
async fn blocking(
    app: Arc<App>,
    f: impl FnOnce(&App) -> Result<Value, (u16, String)> + Send + 'static,
) -> (StatusCode, Json<Value>) {
    let outcome = tokio::task::spawn_blocking(move || f(&app)).await;
    answer(outcome.unwrap_or_else(|e| Err((500, format!("the call did not finish: {e}")))))
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

/// The `account_id` query parameter, else the default account.
fn account_of(app: &App, uri: &Uri) -> String {
    uri.query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("account_id=")))
        .map_or_else(|| app.accounts.default_account().to_string(), str::to_string)
}

/// A control call's JSON answer, or its error as `{"status": "error", "message"}`.
fn answer(outcome: Result<Value, (u16, String)>) -> (StatusCode, Json<Value>) {
    match outcome {
        Ok(v) => (StatusCode::OK, Json(v)),
        Err((status, message)) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(json!({ "status": "error", "message": message })),
        ),
    }
}

/// `GET /_emulator/accounts`: the default account and the registered ones (no secrets).
pub async fn accounts(State(app): State<Arc<App>>) -> Json<Value> {
    Json(app.accounts.list(&app.cloud.store))
}

/// `POST /_emulator/accounts` with `{"access_key_id", "access_key_secret", "account_id"}` and
/// optionally `"replace": true` (re-key an existing id, or add a key to an account that has one).
pub async fn register_account(State(app): State<Arc<App>>, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    let req = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
    let field = |name: &str| req.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    let (key, secret, account) = (field("access_key_id"), field("access_key_secret"), field("account_id"));
    let replace = req.get("replace").and_then(Value::as_bool).unwrap_or(false);
    blocking(app, move |app| app.accounts.register(&app.cloud.store, &key, &secret, &account, replace)).await
}

/// `GET /_emulator/billing[?account_id=ID]`: balance, overdue flag and orders.
pub async fn billing(State(app): State<Arc<App>>, uri: Uri) -> Json<Value> {
    Json(acs_cloud::billing::state(&app.cloud, &account_of(&app, &uri)))
}

/// `POST /_emulator/billing` with any of `{"balance": N, "overdue": B, "account_id": "..."}`.
pub async fn set_billing(State(app): State<Arc<App>>, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(&body) else {
        return answer(Err((400, "expected a JSON object".into())));
    };
    let balance = req.get("balance");
    let overdue = req.get("overdue");
    if balance.is_some_and(|b| !b.is_number()) || overdue.is_some_and(|o| !o.is_boolean()) {
        return answer(Err((400, "balance must be a number and overdue a boolean".into())));
    }
    let account = req.get("account_id").and_then(Value::as_str).unwrap_or(app.accounts.default_account()).to_string();
    let (balance, overdue) = (balance.and_then(Value::as_f64), overdue.and_then(Value::as_bool));
    blocking(app, move |app| acs_cloud::billing::set_state(&app.cloud, &account, balance, overdue)).await
}

/// `POST /_emulator/billing/orders/{OrderId}/pay` or `/cancel`.
pub async fn settle_order(
    State(app): State<Arc<App>>,
    Path((order_id, verb)): Path<(String, String)>,
    uri: Uri,
) -> (StatusCode, Json<Value>) {
    let account = account_of(&app, &uri);
    blocking(app, move |app| match verb.as_str() {
        "pay" => acs_cloud::billing::pay_order(&app.cloud, &account, &order_id),
        "cancel" => acs_cloud::billing::cancel_order(&app.cloud, &account, &order_id),
        _ => Err((404, "no such emulator endpoint".into())),
    })
    .await
}

/// `POST /_emulator/instances/{InstanceId}/security-lock` with `{"locked": true|false}`.
pub async fn security_lock(
    State(app): State<Arc<App>>,
    Path(instance_id): Path<String>,
    uri: Uri,
    body: axum::body::Bytes,
) -> (StatusCode, Json<Value>) {
    let locked = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("locked").and_then(Value::as_bool));
    let Some(locked) = locked else {
        return answer(Err((400, "expected a JSON body {\"locked\": true|false}".into())));
    };
    let account = account_of(&app, &uri);
    blocking(app, move |app| acs_cloud::instance::set_security_lock(&app.cloud, &account, &instance_id, locked)).await
}

/// `POST /_emulator/physical-connections/{PhysicalConnectionId}/{step}[?account_id=ID]`: a step the
/// provider takes on an Express Connect application (approve, reject, allocate, fail-allocation,
/// confirm, approve-loa, reject-loa; docs/express_connect/physical_connection.md).
pub async fn physical_connection_step(
    State(app): State<Arc<App>>,
    Path((pc_id, step)): Path<(String, String)>,
    uri: Uri,
) -> (StatusCode, Json<Value>) {
    let account = account_of(&app, &uri);
    blocking(app, move |app| acs_cloud::physical_connection::provider_step(&app.cloud, &account, &pc_id, &step)).await
}

pub async fn not_found() -> (StatusCode, Json<Value>) {
    (StatusCode::NOT_FOUND, Json(json!({ "status": "error", "message": "no such emulator endpoint" })))
}
