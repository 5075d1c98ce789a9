//! The one gate in front of every `/_emulator/` endpoint (README "Security model of the
//! `/_emulator/` endpoints"). It is a single middleware layer on the whole admin router, so an
//! endpoint added later is covered without doing anything.
//!
//! A request is refused (403, `{"status":"error","message"}`) when:
//! - it comes from a web page of another origin: an `Origin` header other than the server's own
//!   (`http://` or `https://` + the `Host` header), or `Sec-Fetch-Site` other than `same-origin`
//!   or `none`. A page on any site (or on another port of localhost) cannot reset or re-key the
//!   emulator through the visitor's browser;
//! - its `Host` is a domain name other than `localhost` (DNS rebinding: a hostile name resolving
//!   to 127.0.0.1 makes the browser treat the emulator as that site's origin). IP literals and
//!   `localhost` pass; so does any host with the admin token;
//! - it changes something (any method but GET/HEAD) and either an admin token is configured
//!   and the request does not carry it (`Authorization: Bearer <token>` or
//!   `X-Emulator-Admin-Token: <token>`), or no token is configured, the server listens on a
//!   non-loopback address and the peer is not a loopback address.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use acs_protocol::signature::constant_time_eq;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::server::App;

/// Header carrying the admin token (the other way is `Authorization: Bearer`).
pub const TOKEN_HEADER: &str = "x-emulator-admin-token";

/// Who may use the admin endpoints.
#[derive(Debug, Clone)]
pub struct AdminPolicy {
    token: Option<String>,
    /// The server listens on a loopback address only.
    loopback_only: bool,
}

impl AdminPolicy {
    pub fn new(token: Option<String>, listen: SocketAddr) -> Self {
        Self { token: token.filter(|t| !t.is_empty()), loopback_only: listen.ip().is_loopback() }
    }

    /// A warning to log at start-up, if the configuration leaves admin writes to loopback peers
    /// only because no token was given.
    pub fn startup_warning(&self) -> Option<&'static str> {
        (!self.loopback_only && self.token.is_none()).then_some(
            "listening on a non-loopback address without --admin-token: /_emulator/ writes are \
             refused from non-loopback peers",
        )
    }

    fn has_token(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.token else { return false };
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let own = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).map(str::trim);
        [bearer, own].into_iter().flatten().any(|given| constant_time_eq(given.as_bytes(), expected.as_bytes()))
    }

    /// Why the request is refused, if it is.
    fn refusal(&self, method: &Method, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<String> {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).map(str::trim);
        if let Some(origin) = headers.get(header::ORIGIN) {
            let same = host.is_some_and(|h| {
                let origin = origin.as_bytes();
                [format!("http://{h}"), format!("https://{h}")]
                    .iter()
                    .any(|o| o.as_bytes().eq_ignore_ascii_case(origin))
            });
            if !same {
                return Some("cross-origin requests to /_emulator/ are refused".into());
            }
        }
        if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            if !matches!(site, "same-origin" | "none") {
                return Some(format!("requests from web pages (Sec-Fetch-Site: {site}) to /_emulator/ are refused"));
            }
        }
        let token_ok = self.has_token(headers);
        if let Some(host) = host {
            if !token_ok && !is_local_host(host) {
                return Some(format!("Host {host:?} is not an IP address or localhost (DNS rebinding?)"));
            }
        }
        if matches!(*method, Method::GET | Method::HEAD) || token_ok {
            return None;
        }
        if self.token.is_some() {
            return Some("this /_emulator/ endpoint needs the admin token (Authorization: Bearer <token>)".into());
        }
        let loopback_peer = peer.is_some_and(|ip| ip.is_loopback());
        if !self.loopback_only && !loopback_peer {
            return Some("/_emulator/ writes from other machines need --admin-token".into());
        }
        None
    }
}

/// `localhost`, `*.localhost` or an IP literal, with or without a port.
fn is_local_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('[') {
        // [v6]:port
        return rest.split(']').next().is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok());
    }
    if host.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = host.rsplit_once(':').map_or(
        host,
        |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                host
            }
        },
    );
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok()
}

/// The middleware on every `/_emulator/` route.
pub async fn guard(State(app): State<Arc<App>>, req: Request<Body>, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    match app.admin.refusal(req.method(), req.headers(), peer) {
        None => next.run(req).await,
        Some(message) => {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), ?peer, %message, "admin request refused");
            (StatusCode::FORBIDDEN, Json(json!({ "status": "error", "message": message }))).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const LOCAL: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    const REMOTE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7)));

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn loopback(token: Option<&str>) -> AdminPolicy {
        AdminPolicy::new(token.map(str::to_string), "127.0.0.1:9760".parse().unwrap())
    }

    fn public(token: Option<&str>) -> AdminPolicy {
        AdminPolicy::new(token.map(str::to_string), "0.0.0.0:9760".parse().unwrap())
    }

    #[test]
    fn local_hosts() {
        for ok in ["127.0.0.1:9760", "localhost", "LOCALHOST:1", "a.localhost:2", "[::1]:9760", "10.1.2.3", "::1"] {
            assert!(is_local_host(ok), "{ok}");
        }
        for bad in ["evil.example:9760", "localhost.evil.example", "[evil]:1", "127.0.0.1.nip.io"] {
            assert!(!is_local_host(bad), "{bad}");
        }
    }

    #[test]
    fn cross_origin_and_rebinding_are_refused() {
        let p = loopback(None);
        let post = Method::POST;
        assert_eq!(p.refusal(&post, &headers(&[("host", "127.0.0.1:9760")]), LOCAL), None);
        assert_eq!(p.refusal(&post, &HeaderMap::new(), LOCAL), None, "HTTP/1.0 without Host");
        let same = headers(&[("host", "127.0.0.1:9760"), ("origin", "http://127.0.0.1:9760")]);
        assert_eq!(p.refusal(&post, &same, LOCAL), None);
        for cross in [
            headers(&[("host", "127.0.0.1:9760"), ("origin", "http://evil.example")]),
            headers(&[("host", "127.0.0.1:9760"), ("origin", "http://127.0.0.1:3000")]),
            headers(&[("host", "127.0.0.1:9760"), ("origin", "null")]),
            headers(&[("host", "127.0.0.1:9760"), ("sec-fetch-site", "cross-site")]),
            headers(&[("host", "127.0.0.1:9760"), ("sec-fetch-site", "same-site")]),
            headers(&[("host", "evil.example:9760")]),
        ] {
            assert!(p.refusal(&post, &cross, LOCAL).is_some(), "{cross:?}");
            assert!(p.refusal(&Method::GET, &cross, LOCAL).is_some(), "reads too: {cross:?}");
        }
    }

    #[test]
    fn writes_need_the_token_when_one_is_set() {
        let p = loopback(Some("s3cret"));
        let plain = headers(&[("host", "127.0.0.1:9760")]);
        assert!(p.refusal(&Method::POST, &plain, LOCAL).is_some());
        assert_eq!(p.refusal(&Method::GET, &plain, LOCAL), None, "reads need no token");
        let bearer = headers(&[("host", "127.0.0.1:9760"), ("authorization", "Bearer s3cret")]);
        assert_eq!(p.refusal(&Method::POST, &bearer, REMOTE), None);
        let own = headers(&[("host", "emulator.internal"), (TOKEN_HEADER, "s3cret")]);
        assert_eq!(p.refusal(&Method::POST, &own, REMOTE), None, "the token vouches for any Host");
        let wrong = headers(&[("host", "127.0.0.1:9760"), ("authorization", "Bearer nope")]);
        assert!(p.refusal(&Method::POST, &wrong, LOCAL).is_some());
    }

    #[test]
    fn without_a_token_a_public_listener_takes_writes_from_loopback_only() {
        let p = public(None);
        assert!(p.startup_warning().is_some());
        assert!(loopback(None).startup_warning().is_none());
        assert!(public(Some("t")).startup_warning().is_none());
        let h = headers(&[("host", "192.0.2.1:9760")]);
        assert!(p.refusal(&Method::POST, &h, REMOTE).is_some());
        assert!(p.refusal(&Method::POST, &h, None).is_some(), "an unknown peer is not loopback");
        assert_eq!(p.refusal(&Method::POST, &h, LOCAL), None);
        assert_eq!(p.refusal(&Method::GET, &h, REMOTE), None);
    }
}
