//! The two signature algorithms, as pure functions: canonical forms, string to sign, signature.
//! `authenticate` (auth.rs) decides which one applies and turns mismatches into API errors.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Everything except A-Z a-z 0-9 - _ . ~ is encoded (RFC 3986 unreserved), as every SDK does.
const ENC_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The V3 algorithm name, also the Authorization scheme.
pub const V3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `enc()` of protocol.md: percent-encode the UTF-8 bytes, upper-case hex.
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, ENC_SET).to_string()
}

/// Pairs sorted by key in byte order; stable, so duplicate keys keep their arrival order.
fn sorted_by_key<'a>(pairs: impl Iterator<Item = &'a (String, String)>) -> Vec<&'a (String, String)> {
    let mut v: Vec<_> = pairs.collect();
    v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    v
}

/// V1 canonicalized query: every parameter except `Signature`, blank values included
/// (old core signs an empty `SignatureType=`).
pub fn v1_canonical_query(params: &[(String, String)]) -> String {
    sorted_by_key(params.iter().filter(|(k, _)| k != "Signature"))
        .into_iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// V1 string to sign: `METHOD&%2F&enc(canon)`.
pub fn v1_string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!("{}&{}&{}", method, percent_encode("/"), percent_encode(&v1_canonical_query(params)))
}

/// V1 signature: base64(HMAC-SHA1(secret + "&", sts)).
pub fn v1_sign(secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so new_from_slice cannot fail; the fallback keeps the
    // request path free of panics anyway.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Lower-case hex SHA-256, used for the body hash and the canonical-request hash.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// V3 canonical query: the query-string parameters only, sorted, keys and values re-encoded
/// with `enc` (Node sends `*` raw on the wire, so the wire form cannot be reused).
pub fn v3_canonical_query(query: &[(String, String)]) -> String {
    sorted_by_key(query.iter())
        .into_iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of one signed header as received: several occurrences are joined with ',',
/// a missing header is empty (the signature then simply does not match).
fn header_value(headers: &HeaderMap, name: &str) -> String {
    headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// V3 canonical request. `signed_headers` are the lower-case names from the Authorization
/// header, in its order; `body_sha256_hex` is the hash of the body actually received.
pub fn v3_canonical_request(
    method: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
    signed_headers: &[String],
    body_sha256_hex: &str,
) -> String {
    let canonical_headers: String =
        signed_headers.iter().map(|h| format!("{h}:{}\n", header_value(headers, h))).collect();
    format!(
        "{method}\n/\n{}\n{canonical_headers}\n{}\n{body_sha256_hex}",
        v3_canonical_query(query),
        signed_headers.join(";")
    )
}

/// V3 string to sign: algorithm + "\n" + hex(sha256(canonical request)).
pub fn v3_string_to_sign(canonical_request: &str) -> String {
    format!("{V3_ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// V3 signature: hex(HMAC-SHA256(secret, sts)); the raw secret, no "&".
pub fn v3_sign(secret: &str, string_to_sign: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The parts of `Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Authorization {
    pub access_key_id: String,
    /// lower-cased, in the order given
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parses the part after the algorithm name. None when anything is missing or malformed.
pub fn parse_v3_authorization(header: &str) -> Option<V3Authorization> {
    let rest = header.trim().strip_prefix(V3_ALGORITHM)?;
    // The scheme must be followed by whitespace (so "ACS3-HMAC-SHA256X" is not taken as ours).
    if !rest.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        let slot = match k.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(v.trim());
    }
    let access_key_id = credential.filter(|s| !s.is_empty())?.to_string();
    let signed_headers: Vec<String> =
        signed?.split(';').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect();
    let signature = signature?;
    // hex(HMAC-SHA256) is always 64 hex digits; anything else does not conform.
    if signed_headers.is_empty() || signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(V3Authorization { access_key_id, signed_headers, signature: signature.to_ascii_lowercase() })
}

/// Byte comparison whose time does not depend on where the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn example_v1_params() -> Vec<(String, String)> {
        p(&[
            ("Action", "CreateVpc"),
            ("Version", "2016-04-28"),
            ("Format", "JSON"),
            ("AccessKeyId", "testid"),
            ("RegionId", "cn-hangzhou"),
            ("CidrBlock", "10.0.0.0/8"),
            ("VpcName", "test vpc*~"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Timestamp", "2024-01-01T00:00:00Z"),
        ])
    }

    #[test]
    fn enc_matches_the_sdks() {
        assert_eq!(percent_encode("a b*~+/:é"), "a%20b%2A~%2B%2F%3A%C3%A9");
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
    }

    #[test]
    fn v1_worked_example_post() {
        let params = example_v1_params();
        assert_eq!(
            v1_canonical_query(&params),
            "AccessKeyId=testid&Action=CreateVpc&CidrBlock=10.0.0.0%2F8&Format=JSON&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2016-04-28&VpcName=test%20vpc%2A~"
        );
        let sts = v1_string_to_sign("POST", &params);
        assert_eq!(
            sts,
            "POST&%2F&AccessKeyId%3Dtestid%26Action%3DCreateVpc%26CidrBlock%3D10.0.0.0%252F8%26Format%3DJSON%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2016-04-28%26VpcName%3Dtest%2520vpc%252A~"
        );
        assert_eq!(v1_sign("testsecret", &sts), "dz92TlGbTJpmkXeSNgWd4jwG6wU=");
    }

    #[test]
    fn v1_worked_example_get_and_signature_type() {
        let mut params = example_v1_params();
        assert_eq!(v1_sign("testsecret", &v1_string_to_sign("GET", &params)), "X4MEh8eITKk17cBbAl63n0O29/U=");
        params.push(("SignatureType".into(), String::new()));
        assert_eq!(v1_sign("testsecret", &v1_string_to_sign("POST", &params)), "xdNYMEmRTfdM90LWa1jYqWQYR48=");
        // Signature itself is never part of the canonical form.
        params.push(("Signature".into(), "xdNYMEmRTfdM90LWa1jYqWQYR48=".into()));
        assert_eq!(v1_sign("testsecret", &v1_string_to_sign("POST", &params)), "xdNYMEmRTfdM90LWa1jYqWQYR48=");
    }

    pub(crate) fn example_v3_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("host", "vpc.aliyuncs.com"),
            ("x-acs-action", "CreateVpc"),
            ("x-acs-version", "2016-04-28"),
            ("x-acs-date", "2024-01-01T00:00:00Z"),
            ("x-acs-signature-nonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("user-agent", "unsigned"),
        ] {
            h.insert(k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn v3_worked_example() {
        let query = p(&[("RegionId", "cn-hangzhou"), ("CidrBlock", "10.0.0.0/8"), ("VpcName", "test vpc*~")]);
        assert_eq!(v3_canonical_query(&query), "CidrBlock=10.0.0.0%2F8&RegionId=cn-hangzhou&VpcName=test%20vpc%2A~");
        let auth = parse_v3_authorization("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=f1a8c8048ebcfea4eb38b2cd3efdcbc23120608c78cd0068b0743b4cb516cf14").unwrap();
        assert_eq!(auth.access_key_id, "testid");
        let cr = v3_canonical_request("POST", &query, &example_v3_headers(), &auth.signed_headers, &sha256_hex(b""));
        assert_eq!(sha256_hex(cr.as_bytes()), "73ca79917d1064fd03671f64cdafb07b1eda9111bb4cf07c7f9b3442a86e8979");
        let sts = v3_string_to_sign(&cr);
        assert_eq!(v3_sign("testsecret", &sts), auth.signature);
        assert_eq!(auth.signature, "f1a8c8048ebcfea4eb38b2cd3efdcbc23120608c78cd0068b0743b4cb516cf14");
    }

    #[test]
    fn v3_authorization_parsing() {
        let sig = "a".repeat(64);
        let ok = parse_v3_authorization(&format!(
            "ACS3-HMAC-SHA256 Credential=ak, SignedHeaders=Host;x-acs-date, Signature={sig}"
        ))
        .unwrap();
        assert_eq!(ok.signed_headers, vec!["host", "x-acs-date"]);
        for bad in [
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host".to_string(),
            format!("ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature={sig}"),
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=xyz".to_string(),
            format!("ACS3-HMAC-SHA256Credential=ak,SignedHeaders=host,Signature={sig}"),
            format!("ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=,Signature={sig}"),
            format!("ACS3-HMAC-SHA256 Credential=ak,Credential=ak,SignedHeaders=host,Signature={sig}"),
            "ACS3-HMAC-SHA256 garbage".to_string(),
        ] {
            assert_eq!(parse_v3_authorization(&bad), None, "{bad}");
        }
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
