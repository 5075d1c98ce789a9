//! The HTTP server: `/_emulator/...` control endpoints, everything else is an RPC call.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use acs_cloud::{Cloud, Config};
use acs_protocol::NonceCache;
use acs_store::Store;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
use axum::Router;
use parking_lot::Mutex;

use crate::accounts::Accounts;
use crate::admin::{self, AdminPolicy};
use crate::config::{RequestLimits, ServeArgs, TIMESTAMP_WINDOW};
use crate::connections::{self, Limits};
use crate::data_dir::{self, DataDirLock};
use crate::faults::Faults;
use crate::metrics::Metrics;
use crate::{control, rpc};

/// The largest state document `POST /_emulator/state` takes.
const STATE_LIMIT: usize = 512 * 1024 * 1024;

/// Everything a request handler needs.
pub struct App {
    pub cloud: Cloud,
    pub accounts: Accounts,
    pub nonces: NonceCache,
    pub admin: AdminPolicy,
    recorder: Option<Mutex<std::fs::File>>,
    /// Held while the server runs (none with --ephemeral).
    pub data_dir: Option<DataDirLock>,
    pub metrics: Metrics,
    pub limits: RequestLimits,
}

impl App {
    /// The fault injection rules (kept in the store).
    pub fn faults(&self) -> Faults<'_> {
        Faults::new(&self.cloud.store)
    }

    pub fn new(args: &ServeArgs) -> Result<Self, String> {
        let (store, data_dir) = if args.ephemeral {
            (Store::ephemeral(), None)
        } else if let Some(url) = &args.database_url {
            (Store::postgres(url, args.database_pool).map_err(|e| format!("cannot use the database: {e}"))?, None)
        } else {
            let lock = data_dir::lock(&args.data_dir)?;
            let store = Store::sqlite_with(&lock.path, args.repair).map_err(|e| match e {
                acs_store::StoreError::Corrupt(_) => format!(
                    "cannot open {}: {e} (start with --repair to move the damage aside and go on without it)",
                    args.data_dir.display()
                ),
                e => format!("cannot open {}: {e}", args.data_dir.display()),
            })?;
            (store, Some(lock))
        };
        let config = Config {
            transition_delay_ms: args.transition_delay.as_millis() as i64,
            quotas: args.quotas.iter().cloned().collect(),
        };
        let recorder = match &args.record_calls {
            Some(path) => Some(Mutex::new(
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| format!("cannot open {}: {e}", path.display()))?,
            )),
            None => None,
        };
        let cloud = Cloud::new(store, config);
        let app = Self {
            cloud,
            accounts: Accounts::with_default(&args.access_key_id, &args.access_key_secret, &args.account_id),
            nonces: NonceCache::new(TIMESTAMP_WINDOW),
            admin: AdminPolicy::new(args.admin_token.clone(), args.listen),
            recorder,
            data_dir,
            metrics: Metrics::default(),
            limits: RequestLimits { max_body_bytes: args.max_body_bytes, max_url_bytes: args.max_url_bytes },
        };
        if let Some(path) = &args.import {
            let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let doc = serde_json::from_slice(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
            let count =
                control::import(&app, &doc).map_err(|(_, e)| format!("cannot import {}: {e}", path.display()))?;
            tracing::info!(file = %path.display(), resources = count, "state imported");
        }
        Ok(app)
    }

    pub(crate) fn records_calls(&self) -> bool {
        self.recorder.is_some()
    }

    /// Notes one answered call for coverage reports (when --record-calls is set), with the ways
    /// its response differs from the API description, if any.
    pub(crate) fn record(&self, product: &str, action: &str, code: &str, nonconforming: &[String]) {
        if let Some(file) = &self.recorder {
            let mut line = serde_json::json!({ "product": product, "action": action, "code": code });
            if !nonconforming.is_empty() {
                line["nonconforming"] = serde_json::json!(nonconforming);
            }
            // Coverage bookkeeping must never fail a call.
            let _ = writeln!(file.lock(), "{line}");
        }
    }
}

pub fn router(app: Arc<App>) -> Router {
    // Every route under /_emulator/ (the catch-all included) sits behind the admin guard.
    let admin = Router::new()
        .route("/_emulator/health", get(control::health))
        .route("/_emulator/reset", post(control::reset))
        .route("/_emulator/clock", get(control::clock))
        .route("/_emulator/clock/advance", post(control::advance_clock))
        .route("/_emulator/accounts", get(control::accounts).post(control::register_account))
        .route(
            "/_emulator/state",
            get(control::export_state).post(control::import_state).layer(DefaultBodyLimit::max(STATE_LIMIT)),
        )
        .route("/_emulator/metrics", get(control::metrics))
        .route("/_emulator/faults", get(control::faults).post(control::set_faults).delete(control::clear_faults))
        .route("/_emulator/", get(control::index))
        .route("/_emulator", get(control::index))
        .route("/_emulator/quotas", get(control::quotas).post(control::set_quotas))
        .route("/_emulator/billing", get(control::billing).post(control::set_billing))
        .route("/_emulator/billing/orders/{order_id}/{verb}", post(control::settle_order))
        .route("/_emulator/instances/{instance_id}/security-lock", post(control::security_lock))
        .route("/_emulator/physical-connections/{pc_id}/{step}", post(control::physical_connection_step))
        .route("/_emulator/{*rest}", any(control::not_found))
        .layer(axum::middleware::from_fn_with_state(app.clone(), admin::guard));
    Router::new().merge(admin).fallback(rpc::handle).with_state(app)
}

/// Runs the server until SIGINT/SIGTERM.
pub fn run(args: ServeArgs) -> Result<(), String> {
    let started = Instant::now();
    let filter = tracing_subscriber::EnvFilter::try_new(&args.log).map_err(|e| e.to_string())?;
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if args.log_format == "json" {
        logs.json().flatten_event(true).init();
    } else {
        logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init();
    }
    // Parse the API description now, so a defect shows at start-up rather than on a call.
    let _ = acs_api::Api::builtin();
    let app = Arc::new(App::new(&args)?);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    // The last reference is dropped here, outside the runtime: a database pool closes its
    // connections by blocking, which async workers must not do.
    let _kept = Arc::clone(&app);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let data_dir = app
            .data_dir
            .as_ref()
            .map_or_else(|| format!("none ({})", app.cloud.store.storage_kind()), |d| d.path.display().to_string());
        tracing::info!(
            %addr,
            storage = app.cloud.store.storage_kind(),
            %data_dir,
            startup_ms = started.elapsed().as_secs_f64() * 1000.0,
            "alicloud-emulator listening"
        );
        if let Some(warning) = app.admin.startup_warning() {
            tracing::warn!("{warning}");
        }
        let limits = Limits {
            max_connections: args.max_connections.max(1),
            idle_timeout: args.idle_timeout.max(Duration::from_millis(1)),
            shutdown_timeout: args.shutdown_timeout,
        };
        connections::serve(listener, router(app), limits, shutdown_signal()).await;
        tracing::info!("alicloud-emulator stopped");
        Ok::<(), String>(())
    })?;
    // Write calls still running on the blocking pool finish (or are abandoned) within a second.
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
