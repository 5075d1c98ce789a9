//! The emulator's own endpoints under `/_emulator/` (not part of any cloud API).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
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

/// `POST /_emulator/reset`: drops all state (resources, accounts, billing, quotas, clock offset,
/// fault rules).
pub async fn reset(State(app): State<Arc<App>>) -> (StatusCode, Json<Value>) {
    blocking(app, |app| app.cloud.reset().map(|()| json!({ "status": "ok" })).map_err(|e| (500, e.to_string()))).await
}

/// A control read: on the blocking pool, after catching up with the other replicas of a shared
/// store (503 when its database cannot be reached).
async fn reading(app: Arc<App>, f: impl FnOnce(&App) -> Value + Send + 'static) -> (StatusCode, Json<Value>) {
    blocking(app, move |app| {
        app.cloud.store.refresh().map_err(|e| (503, e.to_string()))?;
        Ok(f(app))
    })
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
pub async fn clock(State(app): State<Arc<App>>) -> (StatusCode, Json<Value>) {
    reading(app, clock_state).await
}

fn clock_state(app: &App) -> Value {
    let now = app.cloud.store.read(|view| app.cloud.now_in(view));
    json!({
        "now": acs_cloud::clock::format_time(now),
        "now_ms": now,
        "offset_ms": app.cloud.clock.offset_ms(),
    })
}

/// `POST /_emulator/clock/advance` with `{"seconds": N}`: moves emulated time forward.
pub async fn advance_clock(State(app): State<Arc<App>>, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    let seconds = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v.get("seconds").and_then(Value::as_f64));
    let Some(seconds) = seconds.filter(|s| s.is_finite() && *s >= 0.0) else {
        return answer(Err((400, "expected a JSON body {\"seconds\": N} with N >= 0".into())));
    };
    blocking(app, move |app| {
        app.cloud
            .advance_clock((seconds * 1000.0).round() as i64)
            .map_err(|e| (503, format!("the clock could not be stored: {e}")))?;
        Ok(clock_state(app))
    })
    .await
}

/// The `account_id` query parameter, else the default account.
fn account_of(app: &App, uri: &Uri) -> String {
    named_account(uri).unwrap_or_else(|| app.accounts.default_account().to_string())
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
pub async fn accounts(State(app): State<Arc<App>>) -> (StatusCode, Json<Value>) {
    reading(app, |app| app.accounts.list(&app.cloud.store)).await
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

/// The `account_id` query parameter, if given.
fn named_account(uri: &Uri) -> Option<String> {
    uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("account_id="))).map(str::to_string)
}

/// `GET /_emulator/quotas[?account_id=UID]`: every quota's value (for that account, or server-wide).
pub async fn quotas(State(app): State<Arc<App>>, uri: Uri) -> (StatusCode, Json<Value>) {
    let account = named_account(&uri);
    reading(app, move |app| json!(app.cloud.quotas(account.as_deref()))).await
}

/// `POST /_emulator/quotas[?account_id=UID]` with `{"name": N, ...}`: merges the values into the
/// overrides (all or nothing) and answers every quota's value.
pub async fn set_quotas(State(app): State<Arc<App>>, uri: Uri, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    let Ok(Value::Object(values)) = serde_json::from_slice::<Value>(&body) else {
        return answer(Err((400, "expected a JSON object {\"quota_name\": N, ...}".into())));
    };
    let account = named_account(&uri);
    blocking(app, move |app| app.cloud.set_quotas(account.as_deref(), &values).map(|q| json!(q)).map_err(|e| (400, e)))
        .await
}

/// `GET /_emulator/state`: the whole state as one JSON document (see `acs_cloud::state`).
pub async fn export_state(State(app): State<Arc<App>>) -> (StatusCode, Json<Value>) {
    blocking(app, |app| {
        app.cloud.store.refresh().map_err(|e| (503, e.to_string()))?;
        acs_cloud::state::export(&app.cloud).map_err(|e| (503, e))
    })
    .await
}

/// `POST /_emulator/state` with a document of `GET`: replaces the whole state atomically; a
/// document that does not check changes nothing (400 naming the problem).
pub async fn import_state(State(app): State<Arc<App>>, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    let doc = match serde_json::from_slice::<Value>(&body) {
        Ok(doc) => doc,
        Err(e) => return answer(Err((400, format!("the state document is not JSON: {e}")))),
    };
    blocking(app, move |app| import(app, &doc).map(|count| json!({ "status": "ok", "resources": count }))).await
}

/// Checks and loads a state document: the number of records loaded, or (400, the problem) for a
/// document that does not check, (503, the cause) when storage fails.
pub fn import(app: &App, doc: &Value) -> Result<usize, (u16, String)> {
    let mut kinds = acs_cloud::state::kinds();
    kinds.push(crate::accounts::stored_kind());
    let rows = acs_cloud::state::parse(doc, &kinds).map_err(|e| (400, e))?;
    let count = rows.len();
    app.cloud.replace_state(rows).map_err(|e| (503, e))?;
    Ok(count)
}

/// `GET /_emulator/billing[?account_id=ID]`: balance, overdue flag and orders.
pub async fn billing(State(app): State<Arc<App>>, uri: Uri) -> (StatusCode, Json<Value>) {
    let account = account_of(&app, &uri);
    reading(app, move |app| acs_cloud::billing::state(&app.cloud, &account)).await
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

/// `GET /_emulator/metrics`: Prometheus text (OpenMetrics).
pub async fn metrics(State(app): State<Arc<App>>) -> Response {
    match app.metrics.render(&app.cloud.store.counts()) {
        Ok(text) => ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text)
            .into_response(),
        Err(e) => answer(Err((500, format!("metrics could not be encoded: {e}")))).into_response(),
    }
}

/// `GET /_emulator/faults`: the fault rules in force.
pub async fn faults(State(app): State<Arc<App>>) -> (StatusCode, Json<Value>) {
    reading(app, |app| json!({ "rules": app.faults().list() })).await
}

/// `POST /_emulator/faults` with `{"rules": [...]}`: replaces the fault rules (all or nothing).
pub async fn set_faults(State(app): State<Arc<App>>, body: axum::body::Bytes) -> (StatusCode, Json<Value>) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Rules {
        rules: Vec<crate::faults::FaultRule>,
    }
    let rules = match serde_json::from_slice::<Rules>(&body) {
        Ok(r) => r.rules,
        Err(e) => return answer(Err((400, format!("expected {{\"rules\": [{{\"action\", \"code\", ...}}]}}: {e}")))),
    };
    blocking(app, move |app| {
        let faults = app.faults();
        faults.set(rules)?;
        Ok(json!({ "rules": faults.list() }))
    })
    .await
}

/// `DELETE /_emulator/faults`: no more injected faults.
pub async fn clear_faults(State(app): State<Arc<App>>) -> (StatusCode, Json<Value>) {
    blocking(app, |app| app.faults().clear().map(|()| json!({ "rules": [] }))).await
}

/// The emulator's own endpoints: (method, path, what it does).
const ENDPOINTS: &[(&str, &str, &str)] = &[
    ("GET", "/_emulator/", "this index (JSON, or HTML for a browser)"),
    ("GET", "/_emulator/health", "liveness, version and storage kind"),
    ("POST", "/_emulator/reset", "drops all state: resources, accounts, billing, quotas, clock offset, fault rules"),
    ("GET", "/_emulator/clock", "the emulated time"),
    ("POST", "/_emulator/clock/advance", "moves emulated time forward: {\"seconds\": N}"),
    ("GET", "/_emulator/quotas", "every quota's value (?account_id=UID for one account's)"),
    ("POST", "/_emulator/quotas", "changes quotas: {\"vpcs_per_region\": 50} (?account_id=UID for one account)"),
    ("GET", "/_emulator/state", "the whole state as one JSON document"),
    ("POST", "/_emulator/state", "replaces the whole state with such a document"),
    ("GET", "/_emulator/metrics", "Prometheus metrics: calls by product, action and Code, latency, resources"),
    ("GET", "/_emulator/faults", "the fault injection rules"),
    ("POST", "/_emulator/faults", "sets fault injection rules: {\"rules\": [{\"action\", \"code\", ...}]}"),
    ("DELETE", "/_emulator/faults", "removes every fault injection rule"),
    ("GET", "/_emulator/accounts", "the default account and the registered ones"),
    ("POST", "/_emulator/accounts", "registers an account and its AccessKey"),
    ("GET", "/_emulator/billing", "an account's balance, overdue flag and orders"),
    ("POST", "/_emulator/billing", "sets an account's balance or overdue flag"),
    ("POST", "/_emulator/billing/orders/{OrderId}/pay", "pays an unpaid order"),
    ("POST", "/_emulator/billing/orders/{OrderId}/cancel", "cancels an unpaid order"),
    ("POST", "/_emulator/instances/{InstanceId}/security-lock", "locks or unlocks an instance: {\"locked\": true}"),
    (
        "POST",
        "/_emulator/physical-connections/{PhysicalConnectionId}/{step}",
        "the provider's steps of a physical connection",
    ),
];

/// `GET /_emulator/`: the index of these endpoints, as HTML when a browser asks.
pub async fn index(headers: HeaderMap) -> Response {
    let html = headers.get(header::ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if html {
        let rows: String = ENDPOINTS
            .iter()
            .map(|(m, p, about)| {
                format!("<tr><td>{m}</td><td><code>{}</code></td><td>{}</td></tr>", escape(p), escape(about))
            })
            .collect();
        return Html(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>alicloud-emulator</title></head><body>\
             <h1>alicloud-emulator {}</h1><p>API calls go to <code>/</code> (VPC 2016-04-28, ECS 2014-05-26). \
             The emulator's own endpoints:</p><table><tr><th>method</th><th>path</th><th>what</th></tr>{rows}</table>\
             </body></html>",
            env!("CARGO_PKG_VERSION")
        ))
        .into_response();
    }
    let endpoints: Vec<Value> =
        ENDPOINTS.iter().map(|(m, p, about)| json!({ "method": m, "path": p, "description": about })).collect();
    Json(json!({ "name": "alicloud-emulator", "version": env!("CARGO_PKG_VERSION"), "endpoints": endpoints }))
        .into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
