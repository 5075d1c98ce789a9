//! The RPC pipeline, one way through: decode -> authenticate -> look up the action in the API
//! description -> (injected faults) -> decode and validate its parameters -> execute in one
//! transaction -> encode. Every answer, even to a request that never reaches an action (too
//! large, wrong method), is in the API's error envelope with a RequestId, is logged as one line
//! and is counted in the metrics.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use acs_api::{check_response, common, decode, ActionSpec, Api, ApiError, ErrorDef, Params};
use acs_cloud::Handler;
use acs_protocol::{authenticate, encode_error, encode_success, new_request_id, Encoded, Format, RpcRequest};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Response};
use serde_json::Value;

use crate::config::TIMESTAMP_WINDOW;
use crate::server::App;

/// Host reported as HostId when the request names none.
const DEFAULT_HOST: &str = "vpc.aliyuncs.com";

/// The emulator's answers to requests the HTTP layer refuses (the real gateway's codes for them
/// are not documented): a body or URL over the configured limits, a method other than GET/POST.
pub const REQUEST_TOO_LARGE: ErrorDef =
    ErrorDef::new(413, "RequestEntityTooLarge", "The request body is larger than the server accepts.");
pub const URI_TOO_LONG: ErrorDef =
    ErrorDef::new(414, "RequestURITooLong", "The request URL is longer than the server accepts.");
pub const METHOD_NOT_ALLOWED: ErrorDef =
    ErrorDef::new(405, "UnsupportedHTTPMethod", "The HTTP method is not supported; use GET or POST.");

/// What an answered call was, for logs, metrics and coverage records.
struct Answered {
    product: &'static str,
    action: String,
    account: String,
    /// Differences from the described response fields (checked only when calls are recorded).
    nonconforming: Vec<String>,
}

pub async fn handle(State(app): State<Arc<App>>, request: Request) -> Response<Body> {
    let started = Instant::now();
    let request_id = new_request_id();
    let (parts, body) = request.into_parts();
    let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or(DEFAULT_HOST).to_string();
    let mut answered =
        Answered { product: "Vpc", action: String::new(), account: String::new(), nonconforming: Vec::new() };
    let mut format = Format::Json;
    let result = match read_body(&app, &parts.method, &parts.uri, body).await {
        Err(e) => Err(e),
        Ok(bytes) => match RpcRequest::from_http(parts.method, &parts.uri, parts.headers, bytes) {
            Err(e) => Err(e),
            Ok(req) => {
                format = req.format;
                answered.action = req.action.clone().unwrap_or_default();
                serve(&app, &req, &mut answered).await
            }
        },
    };
    let (encoded, code) = match result {
        Ok(body) => (encode_success(format, &answered.action, &request_id, body), "200".into()),
        Err(e) => (encode_error(format, &e, &request_id, &host, answered.product), e.code.into_owned()),
    };
    let elapsed = started.elapsed();
    log_call(&answered, encoded.status, &code, &request_id, elapsed);
    app.metrics.observe(answered.product, &answered.action, &code, elapsed.as_secs_f64());
    app.record(answered.product, &answered.action, &code, &answered.nonconforming);
    response(encoded, &request_id)
}

/// The body, within the configured limits (checked before anything else is read).
async fn read_body(app: &App, method: &Method, uri: &axum::http::Uri, body: Body) -> Result<Bytes, ApiError> {
    if *method != Method::GET && *method != Method::POST {
        return Err(
            METHOD_NOT_ALLOWED.with_message(format!("The HTTP method {method} is not supported; use GET or POST."))
        );
    }
    let url_len = uri.path_and_query().map_or(0, |p| p.as_str().len());
    if url_len > app.limits.max_url_bytes {
        return Err(URI_TOO_LONG.with_message(format!(
            "The request URL has {url_len} bytes; this server accepts at most {} (--max-url-bytes).",
            app.limits.max_url_bytes
        )));
    }
    axum::body::to_bytes(body, app.limits.max_body_bytes).await.map_err(|_| {
        REQUEST_TOO_LARGE.with_message(format!(
            "The request body is larger than {} bytes (--max-body-bytes).",
            app.limits.max_body_bytes
        ))
    })
}

async fn serve(app: &Arc<App>, req: &RpcRequest, answered: &mut Answered) -> Result<Value, ApiError> {
    let version = req.version.as_deref().ok_or_else(|| common::missing_parameter("Version"))?;
    let action_name = req.action.as_deref().ok_or_else(|| common::missing_parameter("Action"))?;
    let product = Api::builtin().by_version(version).ok_or(common::INVALID_VERSION)?;
    answered.product = if product.product == "Ecs" { "Ecs" } else { "Vpc" };
    let credentials = app.accounts.credentials(&app.cloud.store);
    let mut caller = authenticate(req, &credentials, &app.nonces, SystemTime::now(), TIMESTAMP_WINDOW);
    if app.cloud.store.is_shared() && caller.as_ref().is_err_and(|e| e.is(common::INVALID_ACCESS_KEY_ID_NOT_FOUND)) {
        // An AccessKey registered through another replica: catch up and look again (an unknown
        // key is refused before its nonce is recorded, so the second check sees the request anew).
        let shared = Arc::clone(app);
        tokio::task::spawn_blocking(move || shared.cloud.store.refresh())
            .await
            .map_err(|e| ApiError::internal(format!("catching up did not finish: {e}")))?
            .map_err(acs_cloud::store_error)?;
        caller = authenticate(req, &credentials, &app.nonces, SystemTime::now(), TIMESTAMP_WINDOW);
    }
    let caller = caller?;
    answered.account = caller.account_id.clone();
    let action = product.lookup(action_name)?;
    let refreshed = inject_faults(app, answered.product, &action.name).await?;
    let handler = acs_cloud::resolve(&product.product, action)?;
    let params = decode(action, &req.params)?;
    let body = run(app, Prepared { action, handler, account: caller.account_id, params }, refreshed).await?;
    if app.records_calls() {
        answered.nonconforming = check_response(action, &body);
    }
    Ok(Value::Object(body))
}

/// Applies the fault rule that hits this call, if any (faults.rs): it waits, then fails the call
/// or lets it go on. In a shared deployment the store catches up first, so that a rule set
/// through any replica applies to the next call on every one; true when it did (the call's read
/// then needs no catch-up of its own). Elsewhere only a rule that may match costs more than a
/// look at memory.
async fn inject_faults(app: &Arc<App>, product: &'static str, action: &str) -> Result<bool, ApiError> {
    let shared = app.cloud.store.is_shared();
    if !shared && !app.faults().may_hit(product, action) {
        return Ok(false);
    }
    let (worker, name) = (Arc::clone(app), action.to_string());
    let hit = tokio::task::spawn_blocking(move || {
        worker.cloud.store.refresh()?;
        worker.faults().hit(product, &name)
    })
    .await
    .map_err(|e| ApiError::internal(format!("fault injection did not finish: {e}")))?
    .map_err(acs_cloud::store_error)?;
    if let Some(hit) = hit {
        if hit.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(hit.delay_ms)).await;
        }
        if let Some(error) = hit.error {
            return Err(error);
        }
    }
    Ok(shared)
}

/// An authenticated call with its decoded parameters, ready to run.
struct Prepared {
    action: &'static ActionSpec,
    handler: Handler,
    account: String,
    params: Params,
}

/// Reads run here, on the async worker: they only take the memory image's read lock, which no
/// one holds while a commit waits for the disk. Writes may wait for the backend (group commit,
/// a database locked by another process), so they run on the blocking pool and never hold up
/// the workers that answer reads and /_emulator/health.
async fn run(app: &Arc<App>, call: Prepared, refreshed: bool) -> Result<acs_cloud::Body, ApiError> {
    match call.handler {
        // A shared store's reads may wait for the database too, unless it has just caught up.
        Handler::Read(_) if refreshed || !app.cloud.store.is_shared() => {
            app.cloud.execute_refreshed(call.handler, call.action, &call.account, &call.params)
        }
        _ => {
            let app = Arc::clone(app);
            let action = call.action;
            tokio::task::spawn_blocking(move || {
                app.cloud.execute(call.handler, call.action, &call.account, &call.params)
            })
            .await
            .map_err(|e| ApiError::internal(format!("{} did not finish: {e}", action.name)))?
        }
    }
}

/// One line per answered call (target `alicloud_emulator::call`, level info).
fn log_call(answered: &Answered, status: u16, code: &str, request_id: &str, elapsed: Duration) {
    let latency_ms = (elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0;
    let (account, action) = (answered.account.as_str(), answered.action.as_str());
    if status == 200 {
        tracing::info!(target: "alicloud_emulator::call", account, product = answered.product, action, status, request_id, latency_ms, "call");
    } else {
        tracing::info!(target: "alicloud_emulator::call", account, product = answered.product, action, status, code, request_id, latency_ms, "call");
    }
}

fn response(encoded: Encoded, request_id: &str) -> Response<Body> {
    let mut res = Response::new(Body::from(encoded.body));
    *res.status_mut() =
        axum::http::StatusCode::from_u16(encoded.status).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(encoded.content_type));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        res.headers_mut().insert("x-acs-request-id", v);
    }
    res
}
