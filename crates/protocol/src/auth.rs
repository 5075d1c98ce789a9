//! Request authentication: picks V1 or V3, checks the common pieces in the gateway's order and
//! maps every failure to the documented error.

use crate::nonce::{unix_nanos, NonceCache, MAX_NONCE_LEN};
use crate::request::RpcRequest;
use crate::signature::{
    constant_time_eq, parse_v3_authorization, sha256_hex, v1_sign, v1_string_to_sign, v3_canonical_request, v3_sign,
    v3_string_to_sign, V3_ALGORITHM,
};
use acs_api::{common, ApiError};
use std::time::{Duration, SystemTime};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Where secrets come from (the server's account registry implements it).
pub trait Credentials: Send + Sync {
    /// (secret, account_id) for an AccessKeyId, None if unknown.
    fn lookup(&self, access_key_id: &str) -> Option<(String, String)>;
}

/// Who signed an authenticated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub access_key_id: String,
    pub account_id: String,
}

/// Verifies the request's signature (V1 when a `Signature` parameter is present, V3 when the
/// Authorization header uses an ACS3 scheme). Order of checks: signature pieces present and
/// well-formed, method/version supported, access key known, timestamp well-formed and within
/// `window` of `now`, signature matches, nonce unused. The nonce is recorded only on success.
pub fn authenticate(
    req: &RpcRequest,
    creds: &dyn Credentials,
    nonces: &NonceCache,
    now: SystemTime,
    window: Duration,
) -> Result<Caller, ApiError> {
    if let Some(signature) = req.param("Signature") {
        return authenticate_v1(req, signature, creds, nonces, now, window);
    }
    if let Some(authorization) = req.header("authorization") {
        if authorization.starts_with("ACS3-") {
            return authenticate_v3(req, authorization, creds, nonces, now, window);
        }
    }
    Err(common::missing_parameter("Signature"))
}

fn authenticate_v1(
    req: &RpcRequest,
    signature: &str,
    creds: &dyn Credentials,
    nonces: &NonceCache,
    now: SystemTime,
    window: Duration,
) -> Result<Caller, ApiError> {
    let required = |name: &str| req.param(name).ok_or_else(|| common::missing_parameter(name));
    let access_key_id = required("AccessKeyId")?;
    let timestamp = required("Timestamp")?;
    let nonce = check_nonce(required("SignatureNonce")?)?;
    let method = required("SignatureMethod")?;
    let version = required("SignatureVersion")?;
    if !method.eq_ignore_ascii_case("HMAC-SHA1") {
        return Err(common::INVALID_SIGNATURE_METHOD.into());
    }
    if version != "1.0" {
        return Err(common::UNSUPPORTED_SIGNATURE_VERSION.into());
    }
    let (secret, account_id) = lookup(creds, access_key_id)?;
    let signed_at = check_timestamp(timestamp, now, window)?;

    let sts = v1_string_to_sign(req.method.as_str(), &req.params);
    let expected = v1_sign(&secret, &sts);
    // A client that put a raw '+' of the base64 signature in the query had it decoded to a
    // space; accept that spelling too rather than fail on transport encoding.
    let matches = constant_time_eq(expected.as_bytes(), signature.as_bytes())
        || (signature.contains(' ') && constant_time_eq(expected.as_bytes(), signature.replace(' ', "+").as_bytes()));
    if !matches {
        return Err(signature_mismatch(&sts));
    }
    finish(nonces, access_key_id, nonce, account_id, now, signed_at)
}

fn authenticate_v3(
    req: &RpcRequest,
    authorization: &str,
    creds: &dyn Credentials,
    nonces: &NonceCache,
    now: SystemTime,
    window: Duration,
) -> Result<Caller, ApiError> {
    // ACS3-HMAC-SM3 and ACS3-RSA-SHA256 exist but are not emulated.
    if authorization.split_ascii_whitespace().next() != Some(V3_ALGORITHM) {
        return Err(common::INVALID_SIGNATURE_METHOD.into());
    }
    let auth = parse_v3_authorization(authorization).ok_or(common::INCOMPLETE_SIGNATURE)?;
    check_signed_headers(req, &auth.signed_headers)?;
    let timestamp = req.header("x-acs-date").ok_or_else(|| common::missing_parameter("Timestamp"))?;
    let nonce = req.header("x-acs-signature-nonce").ok_or_else(|| common::missing_parameter("SignatureNonce"))?;
    let nonce = check_nonce(nonce)?;
    let (secret, account_id) = lookup(creds, &auth.access_key_id)?;
    let signed_at = check_timestamp(timestamp, now, window)?;

    // The canonical request always uses the hash of the body actually received, so a body
    // altered in transit fails even if the declared hash was left alone.
    let body_hash = sha256_hex(&req.body);
    let canonical =
        v3_canonical_request(req.method.as_str(), &req.query, &req.headers, &auth.signed_headers, &body_hash);
    let sts = v3_string_to_sign(&canonical);
    let expected = v3_sign(&secret, &sts);
    // The declared hash is optional; when sent it must be the real one.
    let declared_hash_ok = match req.header("x-acs-content-sha256") {
        Some(declared) => declared.eq_ignore_ascii_case(&body_hash),
        None => true,
    };
    if !declared_hash_ok || !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(signature_mismatch(&sts));
    }
    finish(nonces, &auth.access_key_id, nonce, account_id, now, signed_at)
}

/// Headers every V3 signature must cover: without them a captured request could be replayed with
/// another action, version, date or nonce.
pub const V3_REQUIRED_SIGNED_HEADERS: [&str; 6] =
    ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

/// The V3 reference: "every common request header except Authorization, when present, must be
/// signed". So the six above always, and any other `x-acs-*` header the request carries.
/// Anything less is `IncompleteSignature`, naming the first header left out.
fn check_signed_headers(req: &RpcRequest, signed: &[String]) -> Result<(), ApiError> {
    let present_acs = req.headers.keys().map(http::HeaderName::as_str).filter(|h| h.starts_with("x-acs-"));
    let unsigned =
        V3_REQUIRED_SIGNED_HEADERS.iter().copied().chain(present_acs).find(|h| !signed.iter().any(|s| s == h));
    match unsigned {
        Some(h) => {
            let def = common::INCOMPLETE_SIGNATURE;
            Err(def.with_message(format!("{} SignedHeaders must include {h}.", def.message)))
        }
        None => Ok(()),
    }
}

/// The nonce is remembered for the whole replay window, so its length is capped.
fn check_nonce(nonce: &str) -> Result<&str, ApiError> {
    if nonce.len() > MAX_NONCE_LEN {
        return Err(common::INVALID_SIGNATURE_NONCE.into());
    }
    Ok(nonce)
}

fn lookup(creds: &dyn Credentials, access_key_id: &str) -> Result<(String, String), ApiError> {
    creds.lookup(access_key_id).ok_or_else(|| common::INVALID_ACCESS_KEY_ID_NOT_FOUND.into())
}

/// Parses an RFC 3339 timestamp (fractional seconds of any precision, e.g. the Rust SDK's
/// nanoseconds) and checks it is within `window` of `now` either way. Returns unix nanoseconds.
fn check_timestamp(value: &str, now: SystemTime, window: Duration) -> Result<i128, ApiError> {
    let parsed =
        OffsetDateTime::parse(value, &Rfc3339).map_err(|_| ApiError::from(common::INVALID_TIMESTAMP_FORMAT))?;
    let signed_at = parsed.unix_timestamp_nanos();
    let skew = (unix_nanos(now) - signed_at).unsigned_abs();
    if skew > window.as_nanos() {
        return Err(common::INVALID_TIMESTAMP_EXPIRED.into());
    }
    Ok(signed_at)
}

/// SignatureDoesNotMatch carrying the server's string to sign. Old core takes
/// `Message.split(':')[1]` as the string to sign, so the text before it has no ':' and the
/// string to sign itself (percent-encoded for V1, hex for V3) has none either.
fn signature_mismatch(string_to_sign: &str) -> ApiError {
    let def = common::SIGNATURE_DOES_NOT_MATCH;
    def.with_message(format!("{} server string to sign is:{string_to_sign}", def.message))
}

fn finish(
    nonces: &NonceCache,
    access_key_id: &str,
    nonce: &str,
    account_id: String,
    now: SystemTime,
    signed_at: i128,
) -> Result<Caller, ApiError> {
    if !nonces.check_and_insert(access_key_id, nonce, unix_nanos(now), signed_at) {
        return Err(common::SIGNATURE_NONCE_USED.into());
    }
    Ok(Caller { access_key_id: access_key_id.to_string(), account_id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::percent_encode;
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue, Method};
    use std::collections::HashMap;

    const WINDOW: Duration = Duration::from_secs(15 * 60);
    /// 2024-01-01T00:00:00Z
    const T0: u64 = 1_704_067_200;

    struct Keys(HashMap<String, (String, String)>);
    impl Credentials for Keys {
        fn lookup(&self, ak: &str) -> Option<(String, String)> {
            self.0.get(ak).cloned()
        }
    }

    fn keys() -> Keys {
        Keys(HashMap::from([("testid".to_string(), ("testsecret".to_string(), "1234567890".to_string()))]))
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn ts(secs: u64) -> String {
        OffsetDateTime::from_unix_timestamp(secs as i64).unwrap().format(&Rfc3339).unwrap()
    }

    fn encode_pairs(pairs: &[(String, String)]) -> String {
        pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
    }

    fn v1_params(nonce: &str, timestamp: &str) -> Vec<(String, String)> {
        [
            ("Action", "CreateVpc"),
            ("Version", "2016-04-28"),
            ("Format", "JSON"),
            ("AccessKeyId", "testid"),
            ("RegionId", "cn-hangzhou"),
            ("VpcName", "test vpc*~+/"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureType", ""),
            ("SignatureNonce", nonce),
            ("Timestamp", timestamp),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// Signs `query_part ++ body_part` and puts Signature in the query (or the body if the query
    /// part is empty, like pop-core's POST).
    fn v1_request(
        method: Method,
        secret: &str,
        mut query_part: Vec<(String, String)>,
        mut body_part: Vec<(String, String)>,
    ) -> RpcRequest {
        let all: Vec<_> = query_part.iter().chain(body_part.iter()).cloned().collect();
        let sig = v1_sign(secret, &v1_string_to_sign(method.as_str(), &all));
        if query_part.is_empty() {
            body_part.push(("Signature".into(), sig));
        } else {
            query_part.insert(0, ("Signature".into(), sig));
        }
        let uri = format!("/?{}", encode_pairs(&query_part)).parse().unwrap();
        let mut headers = HeaderMap::new();
        if !body_part.is_empty() {
            headers.insert("content-type", HeaderValue::from_static("application/x-www-form-urlencoded"));
        }
        RpcRequest::from_http(method, &uri, headers, Bytes::from(encode_pairs(&body_part))).unwrap()
    }

    fn auth(req: &RpcRequest, nonces: &NonceCache, now: SystemTime) -> Result<Caller, ApiError> {
        authenticate(req, &keys(), nonces, now, WINDOW)
    }

    fn code(r: Result<Caller, ApiError>) -> (u16, String) {
        let e = r.unwrap_err();
        (e.status, e.code.into_owned())
    }

    #[test]
    fn v1_query_body_and_merged() {
        let nonces = NonceCache::new(WINDOW);
        let all = v1_params("n-query", &ts(T0));
        let r = v1_request(Method::POST, "testsecret", all, vec![]);
        let caller = auth(&r, &nonces, at(T0)).unwrap();
        assert_eq!(caller, Caller { access_key_id: "testid".into(), account_id: "1234567890".into() });

        let r = v1_request(Method::POST, "testsecret", vec![], v1_params("n-body", &ts(T0)));
        assert!(r.query.is_empty());
        auth(&r, &nonces, at(T0)).unwrap();

        let mut q = v1_params("n-merged", &ts(T0));
        let b = q.split_off(5);
        let r = v1_request(Method::POST, "testsecret", q, b);
        auth(&r, &nonces, at(T0)).unwrap();

        let r = v1_request(Method::GET, "testsecret", v1_params("n-get", &ts(T0)), vec![]);
        auth(&r, &nonces, at(T0)).unwrap();
    }

    #[test]
    fn v1_rust_sdk_nanosecond_timestamp() {
        let nonces = NonceCache::new(WINDOW);
        let r = v1_request(Method::GET, "testsecret", v1_params("n", "2024-01-01T00:00:00.955801054Z"), vec![]);
        auth(&r, &nonces, at(T0)).unwrap();
    }

    #[test]
    fn v1_wrong_secret_message_carries_sts() {
        let nonces = NonceCache::new(WINDOW);
        let params = v1_params("n1", &ts(T0));
        let sts = v1_string_to_sign("POST", &params);
        let r = v1_request(Method::POST, "wrongsecret", params, vec![]);
        let e = auth(&r, &nonces, at(T0)).unwrap_err();
        assert_eq!((e.status, e.code.as_ref()), (400, "SignatureDoesNotMatch"));
        assert!(e.message.ends_with(&format!("server string to sign is:{sts}")));
        // Old core: Message.split(':')[1] == its own string to sign.
        assert_eq!(e.message.split(':').nth(1), Some(sts.as_str()));
        assert_eq!(e.message.matches(':').count(), 1);
        // A failed attempt does not burn the nonce.
        let r = v1_request(Method::POST, "testsecret", v1_params("n1", &ts(T0)), vec![]);
        auth(&r, &nonces, at(T0)).unwrap();
    }

    #[test]
    fn v1_unknown_access_key_is_404() {
        let nonces = NonceCache::new(WINDOW);
        let mut params = v1_params("n", &ts(T0));
        params[3].1 = "nobody".into();
        let r = v1_request(Method::POST, "testsecret", params, vec![]);
        assert_eq!(code(auth(&r, &nonces, at(T0))), (404, "InvalidAccessKeyId.NotFound".into()));
    }

    #[test]
    fn v1_nonce_reuse() {
        let nonces = NonceCache::new(WINDOW);
        let r = v1_request(Method::POST, "testsecret", v1_params("same", &ts(T0)), vec![]);
        auth(&r, &nonces, at(T0)).unwrap();
        assert_eq!(code(auth(&r, &nonces, at(T0 + 60))), (400, "SignatureNonceUsed".into()));
    }

    #[test]
    fn v1_timestamps() {
        let nonces = NonceCache::new(WINDOW);
        for (signed, label) in [(T0 - 20 * 60, "old"), (T0 + 20 * 60, "future")] {
            let r = v1_request(Method::POST, "testsecret", v1_params(label, &ts(signed)), vec![]);
            assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "InvalidTimeStamp.Expired".into()), "{label}");
        }
        for (signed, label) in [(T0 - 14 * 60, "ok-old"), (T0 + 14 * 60, "ok-future")] {
            let r = v1_request(Method::POST, "testsecret", v1_params(label, &ts(signed)), vec![]);
            auth(&r, &nonces, at(T0)).unwrap();
        }
        for bad in ["2024-01-01 00:00:00", "yesterday", "2024-13-01T00:00:00Z"] {
            let r = v1_request(Method::POST, "testsecret", v1_params(bad, bad), vec![]);
            assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "InvalidTimeStamp.Format".into()), "{bad}");
        }
    }

    #[test]
    fn v1_tampered_parameter() {
        let nonces = NonceCache::new(WINDOW);
        let r = v1_request(Method::POST, "testsecret", v1_params("n", &ts(T0)), vec![]);
        let mut tampered = r.clone();
        tampered.params.iter_mut().find(|(k, _)| k == "RegionId").unwrap().1 = "cn-beijing".into();
        assert_eq!(code(auth(&tampered, &nonces, at(T0))), (400, "SignatureDoesNotMatch".into()));
        let mut added = r.clone();
        added.params.push(("CidrBlock".into(), "10.0.0.0/8".into()));
        assert_eq!(code(auth(&added, &nonces, at(T0))), (400, "SignatureDoesNotMatch".into()));
        // Same request signed as POST but sent as GET.
        let mut as_get = r.clone();
        as_get.method = Method::GET;
        assert_eq!(code(auth(&as_get, &nonces, at(T0))), (400, "SignatureDoesNotMatch".into()));
    }

    #[test]
    fn v1_missing_and_unsupported_pieces() {
        let nonces = NonceCache::new(WINDOW);
        let unsigned =
            RpcRequest::from_http(Method::POST, &"/?Action=CreateVpc".parse().unwrap(), HeaderMap::new(), Bytes::new())
                .unwrap();
        let e = auth(&unsigned, &nonces, at(T0)).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_ref(), e.message.as_ref()),
            (400, "MissingSignature", "Signature is mandatory for this action.")
        );

        for (name, expected) in [
            ("AccessKeyId", "MissingAccessKeyId"),
            ("Timestamp", "MissingTimestamp"),
            ("SignatureNonce", "MissingSignatureNonce"),
        ] {
            let params: Vec<_> = v1_params("n", &ts(T0)).into_iter().filter(|(k, _)| k != name).collect();
            let r = v1_request(Method::POST, "testsecret", params, vec![]);
            assert_eq!(code(auth(&r, &nonces, at(T0))), (400, expected.into()));
        }
        let mut params = v1_params("n", &ts(T0));
        params[6].1 = "HMAC-SHA256".into();
        let r = v1_request(Method::POST, "testsecret", params, vec![]);
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "InvalidSignatureMethod".into()));
        let mut params = v1_params("n", &ts(T0));
        params[7].1 = "2.0".into();
        let r = v1_request(Method::POST, "testsecret", params, vec![]);
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "UnsupportedSignatureVersion".into()));
        assert!(nonces.is_empty());
    }

    #[test]
    fn timestamp_parsing_is_lenient() {
        for ok in [
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00.1Z",
            "2024-01-01T00:00:00.955801054Z",
            "2024-01-01T08:00:00+08:00",
            "2024-01-01t00:00:00z",
        ] {
            assert!(check_timestamp(ok, at(T0), WINDOW).is_ok(), "{ok}");
        }
        assert!(check_timestamp("2024-01-01T00:15:00Z", at(T0), WINDOW).is_ok(), "the window edge is inside");
        assert!(check_timestamp("2024-01-01T00:15:01Z", at(T0), WINDOW).is_err());
    }

    /// A V3 request as Tea Python sends it: API parameters in the query, optional form body.
    fn v3_request(secret: &str, nonce: &str, date: &str, query: &[(&str, &str)], body: &str) -> RpcRequest {
        v3_request_signing(ALL_SIGNED, secret, nonce, date, query, body)
    }

    /// What Tea signs: every x-acs-* header, host, and the content headers.
    const ALL_SIGNED: &[&str] = &[
        "accept",
        "content-type",
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ];

    /// A V3 request whose signature covers only `signing` (of the headers it has).
    fn v3_request_signing(
        signing: &[&str],
        secret: &str,
        nonce: &str,
        date: &str,
        query: &[(&str, &str)],
        body: &str,
    ) -> RpcRequest {
        let query: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut headers = HeaderMap::new();
        let body_hash = sha256_hex(body.as_bytes());
        for (k, v) in [
            ("host", "127.0.0.1:8080"),
            ("x-acs-action", "CreateVpc"),
            ("x-acs-version", "2016-04-28"),
            ("x-acs-date", date),
            ("x-acs-signature-nonce", nonce),
            ("x-acs-content-sha256", &body_hash),
            ("accept", "application/json"),
        ] {
            headers.insert(k, HeaderValue::from_str(v).unwrap());
        }
        if !body.is_empty() {
            headers.insert("content-type", HeaderValue::from_static("application/x-www-form-urlencoded"));
        }
        let signed: Vec<String> = signing.iter().filter(|h| headers.contains_key(**h)).map(|h| h.to_string()).collect();
        let sts = v3_string_to_sign(&v3_canonical_request("POST", &query, &headers, &signed, &body_hash));
        let authorization = format!(
            "ACS3-HMAC-SHA256 Credential=testid, SignedHeaders={}, Signature={}",
            signed.join(";"),
            v3_sign(secret, &sts)
        );
        headers.insert("authorization", HeaderValue::from_str(&authorization).unwrap());
        // Tea writes spaces as '+' on the wire.
        let wire = query
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v).replace("%20", "+")))
            .collect::<Vec<_>>()
            .join("&");
        RpcRequest::from_http(
            Method::POST,
            &format!("/?{wire}").parse().unwrap(),
            headers,
            Bytes::from(body.to_string()),
        )
        .unwrap()
    }

    const Q: &[(&str, &str)] = &[("RegionId", "cn-hangzhou"), ("VpcName", "test vpc*~"), ("CidrBlock", "10.0.0.0/8")];

    #[test]
    fn v3_accepts_and_rejects() {
        let nonces = NonceCache::new(WINDOW);
        let r = v3_request("testsecret", "abc123", &ts(T0), Q, "");
        assert_eq!(r.action.as_deref(), Some("CreateVpc"));
        assert_eq!(auth(&r, &nonces, at(T0)).unwrap().account_id, "1234567890");
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "SignatureNonceUsed".into()));

        let r = v3_request("testsecret", "with-body", &ts(T0), Q, "TunnelOptions.1.Psk=a+b");
        assert_eq!(r.param("TunnelOptions.1.Psk"), Some("a b"));
        auth(&r, &nonces, at(T0)).unwrap();

        let r = v3_request("wrong", "n2", &ts(T0), Q, "");
        let e = auth(&r, &nonces, at(T0)).unwrap_err();
        assert_eq!((e.status, e.code.as_ref()), (400, "SignatureDoesNotMatch"));
        let sts = e.message.split(':').nth(1).unwrap();
        assert!(sts.starts_with("ACS3-HMAC-SHA256\n") && sts.len() == 17 + 64, "{sts}");

        let r = v3_request("testsecret", "n3", &ts(T0 - 20 * 60), Q, "");
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "InvalidTimeStamp.Expired".into()));
    }

    #[test]
    fn v3_body_must_match_declared_hash() {
        let nonces = NonceCache::new(WINDOW);
        let mut r = v3_request("testsecret", "n", &ts(T0), Q, "A=1");
        r.body = Bytes::from_static(b"A=2");
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "SignatureDoesNotMatch".into()));
        // Declared hash changed too: still caught, since the canonical request uses the real hash.
        r.headers.insert("x-acs-content-sha256", HeaderValue::from_str(&sha256_hex(b"A=2")).unwrap());
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "SignatureDoesNotMatch".into()));
    }

    #[test]
    fn v3_malformed_and_missing_headers() {
        let nonces = NonceCache::new(WINDOW);
        let base = v3_request("testsecret", "n", &ts(T0), Q, "");
        let with = |name: &str, value: Option<&str>| {
            let mut r = base.clone();
            match value {
                Some(v) => r
                    .headers
                    .insert(name.to_string().parse::<http::HeaderName>().unwrap(), HeaderValue::from_str(v).unwrap()),
                None => r.headers.remove(name),
            };
            r
        };
        let r = with("authorization", Some("ACS3-HMAC-SHA256 Credential=testid"));
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "IncompleteSignature".into()));
        let r = with("authorization", Some("ACS3-HMAC-SM3 Credential=testid,SignedHeaders=host,Signature=00"));
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "InvalidSignatureMethod".into()));
        let r = with("authorization", Some("Bearer token"));
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "MissingSignature".into()));
        let r = with("x-acs-date", None);
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "MissingTimestamp".into()));
        let r = with("x-acs-signature-nonce", None);
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "MissingSignatureNonce".into()));
        let r = with("x-acs-date", Some("01/01/2024"));
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "InvalidTimeStamp.Format".into()));
        // A signed header changed in transit.
        let r = with("x-acs-action", Some("DeleteVpc"));
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "SignatureDoesNotMatch".into()));
        assert!(nonces.is_empty());
        auth(&base, &nonces, at(T0)).unwrap();
    }

    #[test]
    fn v3_signature_must_cover_the_acs_headers() {
        let nonces = NonceCache::new(WINDOW);
        // Signed over `host` only, then the action edited in transit: refused before the
        // signature is even compared.
        let mut r = v3_request_signing(&["host"], "testsecret", "n-host", &ts(T0), Q, "");
        r.headers.insert("x-acs-action", HeaderValue::from_static("DeleteVpc"));
        let e = auth(&r, &nonces, at(T0)).unwrap_err();
        assert_eq!((e.status, e.code.as_ref()), (400, "IncompleteSignature"));
        assert!(e.message.ends_with("SignedHeaders must include x-acs-action."), "{}", e.message);
        for left_out in V3_REQUIRED_SIGNED_HEADERS {
            let signing: Vec<&str> = ALL_SIGNED.iter().copied().filter(|h| *h != left_out).collect();
            let r = v3_request_signing(&signing, "testsecret", left_out, &ts(T0), Q, "");
            let e = auth(&r, &nonces, at(T0)).unwrap_err();
            assert_eq!(e.code, "IncompleteSignature", "{left_out}");
            assert!(e.message.ends_with(&format!("include {left_out}.")), "{}", e.message);
        }
        // Any other x-acs-* header sent must be signed too.
        let mut r = v3_request("testsecret", "n-extra", &ts(T0), Q, "");
        r.headers.insert("x-acs-security-token", HeaderValue::from_static("t"));
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "IncompleteSignature".into()));
        // accept and content-type need not be signed.
        let minimal: Vec<&str> = V3_REQUIRED_SIGNED_HEADERS.to_vec();
        let r = v3_request_signing(&minimal, "testsecret", "n-minimal", &ts(T0), Q, "");
        auth(&r, &nonces, at(T0)).unwrap();
        assert_eq!(nonces.len(), 1);
    }

    #[test]
    fn long_nonces_are_refused_in_both_versions() {
        let nonces = NonceCache::new(WINDOW);
        let longest = "n".repeat(MAX_NONCE_LEN);
        let too_long = "n".repeat(MAX_NONCE_LEN + 1);
        let r = v1_request(Method::POST, "testsecret", v1_params(&too_long, &ts(T0)), vec![]);
        let e = auth(&r, &nonces, at(T0)).unwrap_err();
        assert_eq!((e.status, e.code.as_ref()), (400, "InvalidParameter"));
        assert!(e.message.contains("SignatureNonce"), "{}", e.message);
        let r = v3_request("testsecret", &too_long, &ts(T0), Q, "");
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "InvalidParameter".into()));
        assert!(nonces.is_empty());
        let r = v1_request(Method::POST, "testsecret", v1_params(&longest, &ts(T0)), vec![]);
        auth(&r, &nonces, at(T0)).unwrap();
        let r = v3_request("testsecret", &longest, &ts(T0), Q, "");
        assert_eq!(code(auth(&r, &nonces, at(T0))), (400, "SignatureNonceUsed".into()), "same key and nonce");
    }
}
