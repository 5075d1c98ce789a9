//! Turning an HTTP request into an [`RpcRequest`]: query and form-body parameters, the action,
//! version and response format.

use acs_api::{common, ApiError};
use bytes::Bytes;
use http::{header, HeaderMap, Method, Uri};
use percent_encoding::percent_decode;

/// Response body format asked for by the `Format` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Json,
    Xml,
}

/// One decoded RPC request.
#[derive(Debug, Clone)]
pub struct RpcRequest {
    pub method: Method,
    /// Query-string then form-body parameters, form-decoded, blank values kept, in arrival order.
    pub params: Vec<(String, String)>,
    /// The query-string parameters only (the V3 canonical query covers only these).
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Parameter `Action`, else header `x-acs-action`.
    pub action: Option<String>,
    /// Parameter `Version`, else header `x-acs-version`.
    pub version: Option<String>,
    pub format: Format,
}

impl RpcRequest {
    /// Decodes the request. The path is not checked: RPC calls go to "/" and the server routes
    /// its own paths before calling this.
    pub fn from_http(method: Method, uri: &Uri, headers: HeaderMap, body: Bytes) -> Result<RpcRequest, ApiError> {
        let query = match uri.query() {
            Some(q) => decode_form(q.as_bytes())?,
            None => Vec::new(),
        };
        let mut params = query.clone();
        if body_is_form(&headers, &body) {
            params.extend(decode_form(&body)?);
        }
        let mut req =
            RpcRequest { method, params, query, headers, body, action: None, version: None, format: Format::Json };
        req.action = req.param("Action").or_else(|| req.header("x-acs-action")).map(str::to_string);
        req.version = req.param("Version").or_else(|| req.header("x-acs-version")).map(str::to_string);
        // Tea V1 sends `json` in lower case, so compare without case.
        if req.param("Format").is_some_and(|f| f.eq_ignore_ascii_case("xml")) {
            req.format = Format::Xml;
        }
        Ok(req)
    }

    /// The first occurrence of a parameter; an empty value counts as absent (SDKs send unset
    /// optional parameters as `Name=`).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// A header as trimmed text; absent, blank or non-text values count as absent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// Whether the body carries form parameters: the content-type says so, or there is no
/// content-type and the body looks like `k=v&...` (some clients omit the header).
fn body_is_form(headers: &HeaderMap, body: &[u8]) -> bool {
    match headers.get(header::CONTENT_TYPE) {
        Some(ct) => {
            let media = ct.as_bytes().split(|b| *b == b';').next().unwrap_or_default();
            media.trim_ascii().eq_ignore_ascii_case(b"application/x-www-form-urlencoded")
        }
        // Encoded form data is printable ASCII without spaces; JSON/XML bodies start with { or <.
        None => {
            !body.is_empty()
                && body.contains(&b'=')
                && body.iter().all(|b| b.is_ascii_graphic())
                && !matches!(body.first(), Some(b'{' | b'[' | b'<'))
        }
    }
}

/// `application/x-www-form-urlencoded` decoding ('+' is space, %XX), keeping blank values and
/// keys without '='; rejects text that is not UTF-8 once decoded instead of guessing.
pub(crate) fn decode_form(input: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    input
        .split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            Ok((decode_component(k)?, decode_component(v)?))
        })
        .collect()
}

fn decode_component(raw: &[u8]) -> Result<String, ApiError> {
    let plus_as_space: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
    let bytes: Vec<u8> = percent_decode(&plus_as_space).collect();
    String::from_utf8(bytes).map_err(|_| {
        common::INVALID_PARAMETER
            .with_message("The specified parameter is not valid. Parameters must be UTF-8 text once percent-decoded.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn req(uri: &str, headers: &[(&str, &str)], body: &str) -> Result<RpcRequest, ApiError> {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.append(header::HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        RpcRequest::from_http(Method::POST, &uri.parse().unwrap(), h, Bytes::from(body.to_string()))
    }

    #[test]
    fn query_decoding_plus_and_percent() {
        let r = req("/?VpcName=test+vpc&Description=a%20b%2A~&Action=CreateVpc", &[], "").unwrap();
        assert_eq!(r.param("VpcName"), Some("test vpc"));
        assert_eq!(r.param("Description"), Some("a b*~"));
        assert_eq!(r.action.as_deref(), Some("CreateVpc"));
        assert_eq!(r.query, r.params);
        assert_eq!(r.format, Format::Json);
    }

    #[test]
    fn action_and_version_from_headers() {
        let r = req("/?RegionId=cn-hangzhou", &[("x-acs-action", "DescribeVpcs"), ("x-acs-version", "2016-04-28")], "")
            .unwrap();
        assert_eq!(r.action.as_deref(), Some("DescribeVpcs"));
        assert_eq!(r.version.as_deref(), Some("2016-04-28"));
        // Parameters win over headers.
        let r = req("/?Action=CreateVpc&Version=2014-05-26", &[("x-acs-action", "DescribeVpcs")], "").unwrap();
        assert_eq!(r.action.as_deref(), Some("CreateVpc"));
        assert_eq!(r.version.as_deref(), Some("2014-05-26"));
    }

    #[test]
    fn format_xml_any_case() {
        assert_eq!(req("/?Format=xml", &[], "").unwrap().format, Format::Xml);
        assert_eq!(req("/?Format=XML", &[], "").unwrap().format, Format::Xml);
        assert_eq!(req("/?Format=json", &[], "").unwrap().format, Format::Json);
    }

    #[test]
    fn blank_values_kept_but_absent_for_param() {
        let r = req("/?SignatureType=&Flag&A=1&A=2", &[], "").unwrap();
        assert_eq!(r.params[0], ("SignatureType".to_string(), String::new()));
        assert_eq!(r.params[1], ("Flag".to_string(), String::new()));
        assert_eq!(r.param("SignatureType"), None);
        assert_eq!(r.param("Flag"), None);
        assert_eq!(r.param("A"), Some("1"));
        assert_eq!(r.params.len(), 4);
    }

    #[test]
    fn form_body_merged_after_query() {
        let ct = [("content-type", "application/x-www-form-urlencoded; charset=UTF-8")];
        let r = req("/?Action=CreateVpc", &ct, "VpcName=a+b&Action=Other").unwrap();
        assert_eq!(r.params.len(), 3);
        assert_eq!(r.query.len(), 1);
        assert_eq!(r.param("VpcName"), Some("a b"));
        assert_eq!(r.param("Action"), Some("CreateVpc"));
        // No content-type but form-looking body: parsed; JSON body with its type: not parsed.
        assert_eq!(req("/", &[], "A=1&B=2").unwrap().params.len(), 2);
        assert_eq!(req("/", &[], "{\"A\":1}").unwrap().params.len(), 0);
        assert_eq!(req("/", &[("content-type", "application/json")], "A=1").unwrap().params.len(), 0);
    }

    #[test]
    fn non_utf8_is_a_400() {
        let e = req("/?A=%FF%FE", &[], "").unwrap_err();
        assert_eq!((e.status, e.code.as_ref()), (400, "InvalidParameter"));
        let e = req("/", &[("content-type", "application/x-www-form-urlencoded")], "A=%C3").unwrap_err();
        assert_eq!(e.status, 400);
    }
}
