//! The accept loop: HTTP/1.1 connections served by hyper with the router unchanged, under limits
//! that keep idle or slow clients from exhausting the process (README "Configuration"):
//!
//! - a connection must send the headers of each request within `idle_timeout` of being ready
//!   for it (hyper's header-read timeout, which also bounds an idle keep-alive connection);
//! - at most `max_connections` are served at once; one more is answered `503 ServiceUnavailable`
//!   in the API's error envelope and closed at once, so that calls in flight keep their file
//!   descriptors and an overloaded server says so instead of timing out;
//! - on SIGINT/SIGTERM the listener closes, open connections finish their current request and
//!   close, and after `shutdown_timeout` whatever is left is dropped.
//!
//! Absolute-form request targets (`GET http://host/... HTTP/1.1`, as HTTP proxies and Ansible's
//! footmark send them) route by their path like any other.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use acs_api::common;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower_service::Service;

/// The limits of the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub idle_timeout: Duration,
    pub shutdown_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes, then drains (bounded).
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.idle_timeout).keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: the error repeats until a
                    // connection closes, so wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            refuse(&stream, peer);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move { Ok::<_, Infallible>(router.call(req).await.unwrap_or_else(|e| match e {})) }
        });
        // Hyper's own answers to unparsable requests are rewritten into the error envelope.
        let io = TokioIo::new(crate::envelope_io::EnvelopeIo::new(stream));
        let conn = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection closed with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    let open = graceful.count();
    if tokio::time::timeout(limits.shutdown_timeout, graceful.shutdown()).await.is_err() {
        tracing::warn!(
            open,
            timeout_s = limits.shutdown_timeout.as_secs_f64(),
            "connections still open at the shutdown timeout were dropped"
        );
    }
}

/// Answers a connection over the limit with 503 ServiceUnavailable and closes it, without
/// reading its request or waiting: the reply fits in an empty socket buffer.
fn refuse(stream: &TcpStream, peer: SocketAddr) {
    tracing::warn!(%peer, "connection limit reached: connection refused with 503");
    let reply = crate::envelope_io::raw_answer(503, "Service Unavailable", &common::SERVICE_UNAVAILABLE.into());
    let _ = stream.try_write(&reply);
}
