//! The RPC pipeline, one way through: decode -> authenticate -> look up the action in the API
//! description -> decode and validate its parameters -> execute in one transaction -> encode.

use std::sync::Arc;
use std::time::SystemTime;

use acs_api::{check_response, common, decode, ActionSpec, Api, ApiError, Params};
use acs_cloud::Handler;
use acs_protocol::{authenticate, encode_error, encode_success, new_request_id, Encoded, Format, RpcRequest};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, Uri};
use serde_json::Value;

use crate::config::TIMESTAMP_WINDOW;
use crate::server::App;

/// Host reported as HostId when the request names none.
const DEFAULT_HOST: &str = "vpc.aliyuncs.com";

/// What an answered call was, for logs and coverage records.
struct Answered<'a> {
    product: &'a str,
    action: String,
    /// Differences from the described response fields (checked only when calls are recorded).
    nonconforming: Vec<String>,
}

pub async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let request_id = new_request_id();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or(DEFAULT_HOST).to_string();
    let (format, answered, result) = match RpcRequest::from_http(method, &uri, headers, body) {
        Ok(req) => {
            let mut answered =
                Answered { product: "Vpc", action: req.action.clone().unwrap_or_default(), nonconforming: Vec::new() };
            let result = match prepare(&app, &req, &mut answered) {
                Ok(call) => run(&app, call, &mut answered).await,
                Err(e) => Err(e),
            };
            (req.format, answered, result)
        }
        Err(e) => (Format::Json, Answered { product: "Vpc", action: String::new(), nonconforming: Vec::new() }, Err(e)),
    };
    let (encoded, code) = match result {
        Ok(body) => (encode_success(format, &answered.action, &request_id, body), "200".into()),
        Err(e) => (encode_error(format, &e, &request_id, &host, answered.product), e.code),
    };
    tracing::debug!(action = %answered.action, %code, %request_id, "call");
    app.record(answered.product, &answered.action, &code, &answered.nonconforming);
    response(encoded, &request_id)
}

/// An authenticated call with its decoded parameters, ready to run.
struct Prepared {
    action: &'static ActionSpec,
    handler: Handler,
    account: String,
    params: Params,
}

fn prepare(app: &App, req: &RpcRequest, answered: &mut Answered<'_>) -> Result<Prepared, ApiError> {
    let version = req.version.as_deref().ok_or_else(|| common::missing_parameter("Version"))?;
    let action_name = req.action.as_deref().ok_or_else(|| common::missing_parameter("Action"))?;
    let product = Api::builtin().by_version(version).ok_or(common::INVALID_VERSION)?;
    answered.product = if product.product == "Ecs" { "Ecs" } else { "Vpc" };
    let credentials = app.accounts.credentials(&app.cloud.store);
    let caller = authenticate(req, &credentials, &app.nonces, SystemTime::now(), TIMESTAMP_WINDOW)?;
    let action = product.action(action_name).ok_or(common::INVALID_ACTION_NOT_FOUND)?;
    let handler = acs_cloud::resolve(&product.product, action)?;
    let params = decode(action, &req.params)?;
    Ok(Prepared { action, handler, account: caller.account_id, params })
}

/// Reads run here, on the async worker: they only take the memory image's read lock, which no
/// one holds while a commit waits for the disk. Writes may wait for the backend (group commit,
/// a database locked by another process), so they run on the blocking pool and never hold up
/// the workers that answer reads and /_emulator/health.
async fn run(app: &Arc<App>, call: Prepared, answered: &mut Answered<'_>) -> Result<Value, ApiError> {
    let body = match call.handler {
        Handler::Read(_) => app.cloud.execute(call.handler, call.action, &call.account, &call.params)?,
        Handler::Write(_) => {
            let app = Arc::clone(app);
            let action = call.action;
            tokio::task::spawn_blocking(move || {
                app.cloud.execute(call.handler, call.action, &call.account, &call.params)
            })
            .await
            .map_err(|e| ApiError::internal(format!("{} did not finish: {e}", action.name)))??
        }
    };
    if app.records_calls() {
        answered.nonconforming = check_response(call.action, &body);
    }
    Ok(Value::Object(body))
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
