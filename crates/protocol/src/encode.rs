//! Response bodies: success objects and the error envelope, as JSON or XML.

use crate::request::Format;
use crate::signature::percent_encode;
use acs_api::ApiError;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::{Map, Value};

pub const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";
/// Tea V3 parses an error body as XML only with exactly this content-type.
pub const XML_CONTENT_TYPE: &str = "text/xml;charset=utf-8";

/// A ready-to-send response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// A request id shaped like the real ones: upper-case hyphenated UUID v4.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string().to_ascii_uppercase()
}

/// A 200 answer. `body` is the response object without RequestId; RequestId goes first.
/// A body that is not an object contributes nothing (actions always answer objects).
pub fn encode_success(format: Format, action: &str, request_id: &str, body: Value) -> Encoded {
    let mut object = Map::with_capacity(1 + body.as_object().map_or(0, Map::len));
    object.insert("RequestId".into(), Value::String(request_id.into()));
    if let Value::Object(fields) = body {
        object.extend(fields.into_iter().filter(|(k, _)| k.as_str() != "RequestId"));
    }
    encode(format, 200, &format!("{}Response", xml_name(action)), &object)
}

/// The error envelope {RequestId, HostId, Code, Message, Recommend} with the error's status.
pub fn encode_error(format: Format, err: &ApiError, request_id: &str, host_id: &str, product: &str) -> Encoded {
    let recommend = format!(
        "https://api.aliyun.com/troubleshoot?q={}&product={}&requestId={}",
        percent_encode(&err.code),
        percent_encode(product),
        percent_encode(request_id)
    );
    let mut object = Map::new();
    for (k, v) in [
        ("RequestId", request_id),
        ("HostId", host_id),
        ("Code", err.code.as_ref()),
        ("Message", err.message.as_ref()),
        ("Recommend", recommend.as_str()),
    ] {
        object.insert(k.into(), Value::String(v.into()));
    }
    // A status outside the HTTP range would make the server's response builder fail.
    let status = if (100..=599).contains(&err.status) { err.status } else { 500 };
    encode(format, status, "Error", &object)
}

fn encode(format: Format, status: u16, xml_root: &str, object: &Map<String, Value>) -> Encoded {
    match format {
        // Serializing a Value into memory cannot fail (all keys are strings).
        Format::Json => {
            Encoded { status, content_type: JSON_CONTENT_TYPE, body: serde_json::to_vec(object).unwrap_or_default() }
        }
        Format::Xml => Encoded { status, content_type: XML_CONTENT_TYPE, body: xml_document(xml_root, object) },
    }
}

fn xml_document(root: &str, object: &Map<String, Value>) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    // Writing into a Vec cannot fail; the Result only exists for io::Write in general.
    let _ = write_document(&mut w, root, object);
    w.into_inner()
}

fn write_document(w: &mut Writer<Vec<u8>>, root: &str, object: &Map<String, Value>) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new(root)))?;
    write_fields(w, object)?;
    w.write_event(Event::End(BytesEnd::new(root)))
}

fn write_fields(w: &mut Writer<Vec<u8>>, object: &Map<String, Value>) -> std::io::Result<()> {
    for (k, v) in object {
        write_value(w, &xml_name(k), v)?;
    }
    Ok(())
}

/// One key: an array becomes the element repeated once per item, as Alibaba's XML does.
fn write_value(w: &mut Writer<Vec<u8>>, name: &str, value: &Value) -> std::io::Result<()> {
    if let Value::Array(items) = value {
        for item in items {
            write_value(w, name, item)?;
        }
        return Ok(());
    }
    w.write_event(Event::Start(BytesStart::new(name)))?;
    match value {
        Value::Object(fields) => write_fields(w, fields)?,
        Value::String(s) => w.write_event(Event::Text(BytesText::new(&xml_text(s))))?,
        Value::Bool(b) => w.write_event(Event::Text(BytesText::new(&b.to_string())))?,
        Value::Number(n) => w.write_event(Event::Text(BytesText::new(&n.to_string())))?,
        Value::Null | Value::Array(_) => {}
    }
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// Keeps the document well-formed whatever a key holds: characters not allowed in an XML name
/// become '_', and a name that cannot start with its first character gets a '_' prefix.
fn xml_name(raw: &str) -> String {
    let mut name: String =
        raw.chars().map(|c| if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect();
    if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        name.insert(0, '_');
    }
    name
}

/// XML 1.0 cannot carry most control characters even escaped; replace them (user input can be
/// echoed in messages) instead of emitting an unparseable document.
fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use acs_api::common;
    use quick_xml::Reader;
    use serde_json::json;

    /// Parses the whole document and returns (element path, text) for every text node, failing
    /// on anything ill-formed.
    fn parse_xml(body: &[u8]) -> Vec<(String, String)> {
        let text = std::str::from_utf8(body).unwrap();
        assert!(text.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><"#), "{text}");
        let mut reader = Reader::from_str(text);
        let mut path: Vec<String> = Vec::new();
        let mut out = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) => path.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap()),
                Event::End(e) => assert_eq!(path.pop().unwrap().as_bytes(), e.name().as_ref()),
                Event::Empty(e) => out.push((
                    format!("{}/{}", path.join("/"), String::from_utf8_lossy(e.name().as_ref())),
                    String::new(),
                )),
                Event::Text(t) => out.push((path.join("/"), t.unescape().unwrap().into_owned())),
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(path.is_empty());
        out
    }

    fn sample() -> Value {
        json!({
            "TotalCount": 2,
            "Vpcs": {"Vpc": [
                {"VpcId": "vpc-1", "IsDefault": true, "VSwitchIds": {"VSwitchId": ["vsw-1", "vsw-2"]}, "Description": null},
                {"VpcId": "vpc-2", "IsDefault": false, "VSwitchIds": {"VSwitchId": []}, "Description": "a<b & \"c\" 'd'"}
            ]}
        })
    }

    #[test]
    fn json_success_request_id_first_and_shapes_kept() {
        let e = encode_success(Format::Json, "DescribeVpcs", "REQ-1", sample());
        assert_eq!((e.status, e.content_type), (200, "application/json;charset=utf-8"));
        let text = String::from_utf8(e.body.clone()).unwrap();
        assert!(text.starts_with(r#"{"RequestId":"REQ-1","TotalCount":2,"Vpcs":{"Vpc":[{"VpcId":"vpc-1""#), "{text}");
        let v: Value = serde_json::from_slice(&e.body).unwrap();
        assert_eq!(v["Vpcs"]["Vpc"][0]["VSwitchIds"]["VSwitchId"][1], "vsw-2");
        assert_eq!(v["Vpcs"]["Vpc"][1]["IsDefault"], false);
    }

    #[test]
    fn xml_success_repeats_array_elements_and_escapes() {
        let e = encode_success(Format::Xml, "DescribeVpcs", "REQ-1", sample());
        assert_eq!(e.content_type, "text/xml;charset=utf-8");
        let text = String::from_utf8(e.body.clone()).unwrap();
        assert!(
            text.starts_with(
                r#"<?xml version="1.0" encoding="UTF-8"?><DescribeVpcsResponse><RequestId>REQ-1</RequestId>"#
            ),
            "{text}"
        );
        assert!(
            text.contains("<VSwitchIds><VSwitchId>vsw-1</VSwitchId><VSwitchId>vsw-2</VSwitchId></VSwitchIds>"),
            "{text}"
        );
        assert!(text.contains("<Description></Description>"), "{text}");
        let nodes = parse_xml(&e.body);
        let vpcs: Vec<_> =
            nodes.iter().filter(|(p, _)| p == "DescribeVpcsResponse/Vpcs/Vpc/VpcId").map(|(_, t)| t.as_str()).collect();
        assert_eq!(vpcs, ["vpc-1", "vpc-2"]);
        assert!(nodes.contains(&("DescribeVpcsResponse/Vpcs/Vpc/Description".into(), "a<b & \"c\" 'd'".into())));
        assert!(nodes.contains(&("DescribeVpcsResponse/Vpcs/Vpc/IsDefault".into(), "true".into())));
        assert!(nodes.contains(&("DescribeVpcsResponse/TotalCount".into(), "2".into())));
    }

    #[test]
    fn xml_survives_hostile_names_and_control_characters() {
        let body = json!({"bad key<>": "x\u{1}y", "1st": [1, [2, 3]]});
        let e = encode_success(Format::Xml, "Weird Action", "R", body);
        let nodes = parse_xml(&e.body);
        assert!(nodes.contains(&("Weird_ActionResponse/bad_key__".into(), "x\u{FFFD}y".into())));
        assert_eq!(nodes.iter().filter(|(p, _)| p == "Weird_ActionResponse/_1st").count(), 3);
    }

    #[test]
    fn json_error_has_the_five_keys() {
        let err = common::SIGNATURE_NONCE_USED.into();
        let e = encode_error(Format::Json, &err, "REQ-2", "vpc.aliyuncs.com", "Vpc");
        assert_eq!((e.status, e.content_type), (400, "application/json;charset=utf-8"));
        let v: Value = serde_json::from_slice(&e.body).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["RequestId", "HostId", "Code", "Message", "Recommend"]);
        assert_eq!(v["Code"], "SignatureNonceUsed");
        assert_eq!(v["HostId"], "vpc.aliyuncs.com");
        assert_eq!(v["Message"], "Specified signature nonce was used already.");
        assert_eq!(
            v["Recommend"],
            "https://api.aliyun.com/troubleshoot?q=SignatureNonceUsed&product=Vpc&requestId=REQ-2"
        );
    }

    #[test]
    fn xml_error_is_well_formed() {
        let err = common::SIGNATURE_DOES_NOT_MATCH.with_message("x server string to sign is:POST&%2F&A%3D<&>");
        let e = encode_error(Format::Xml, &err, "REQ-3", "127.0.0.1:8080", "Ecs");
        assert_eq!((e.status, e.content_type), (400, "text/xml;charset=utf-8"));
        let nodes = parse_xml(&e.body);
        let names: Vec<_> = nodes.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["Error/RequestId", "Error/HostId", "Error/Code", "Error/Message", "Error/Recommend"]);
        assert_eq!(nodes[3].1, "x server string to sign is:POST&%2F&A%3D<&>");
    }

    #[test]
    fn error_status_is_kept_and_sanitized() {
        let e = encode_error(Format::Json, &common::INVALID_ACCESS_KEY_ID_NOT_FOUND.into(), "R", "h", "Vpc");
        assert_eq!(e.status, 404);
        let e = encode_error(Format::Json, &ApiError::dynamic(42, "X", "y"), "R", "h", "Vpc");
        assert_eq!(e.status, 500);
    }

    #[test]
    fn request_ids_look_real() {
        let id = new_request_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id, id.to_ascii_uppercase());
        assert_eq!(id.as_bytes()[14], b'4');
        assert_ne!(id, new_request_id());
    }
}
