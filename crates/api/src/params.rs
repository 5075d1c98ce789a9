//! Request decoding driven by the API description: the flat wire parameters of one call become
//! typed [`Params`], or the documented error for the first parameter that is missing, of the
//! wrong type or out of range. Resource code never sees raw wire parameters.
//!
//! Rules: an empty string means absent; booleans are case-insensitive; lists arrive as
//! `Name.N` / `Name.N.Field` (N from 1), comma-separated or as a JSON array, as each parameter's
//! `shape` says; parameters the action does not describe are ignored.

use std::collections::{BTreeMap, HashMap};

use crate::error::{common, ApiError};
use crate::spec::{ActionSpec, ListShape, ParamSpec, ParamType};
use crate::validate;

/// A decoded parameter value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The decoded, validated parameters of one call.
#[derive(Debug, Default, Clone)]
pub struct Params {
    values: HashMap<String, Value>,
    /// canonical form of the business parameters, for ClientToken idempotency checks
    fingerprint: String,
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// A parameter the description marks required (so decoding already guaranteed it).
    pub fn required_str(&self, name: &str) -> Result<&str, ApiError> {
        self.str(name).ok_or_else(|| common::missing_parameter(name))
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// A list of scalars (any shape) as strings; empty when absent.
    pub fn strings(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            Some(Value::List(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            Some(Value::Str(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// A JSON-object parameter (`json_object`), its missing keys filled with their defaults.
    pub fn object(&self, name: &str) -> Option<&BTreeMap<String, Value>> {
        match self.get(name) {
            Some(Value::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// A list of objects (`Name.N.Field`); empty when absent.
    pub fn objects(&self, name: &str) -> Vec<&BTreeMap<String, Value>> {
        match self.get(name) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::Object(o) => Some(o),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Canonical text of all decoded parameters except ClientToken/RegionId-independent noise:
    /// two calls with the same fingerprint asked for the same thing.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// Decodes `wire` (the merged query and form parameters) against `action`.
pub fn decode(action: &ActionSpec, wire: &[(String, String)]) -> Result<Params, ApiError> {
    let mut values = HashMap::new();
    for spec in &action.params {
        if let Some(v) = decode_param(action, spec, wire)? {
            values.insert(spec.name.clone(), v);
        } else if spec.required {
            return Err(missing(action, &spec.name));
        }
    }
    let fingerprint = fingerprint_of(action, &values);
    Ok(Params { values, fingerprint })
}

/// The parameters that say what a call asks for: all but ClientToken, and but an optional
/// RegionId (a hint some SDKs send and others do not, as for ECS ModifyInstanceSpec).
fn fingerprint_of(action: &ActionSpec, values: &HashMap<String, Value>) -> String {
    let optional_region = action.params.iter().any(|p| p.name == "RegionId" && !p.required);
    let sorted: BTreeMap<_, _> = values
        .iter()
        .filter(|(k, _)| k.as_str() != "ClientToken" && !(optional_region && k.as_str() == "RegionId"))
        .collect();
    format!("{sorted:?}")
}

/// `MissingParameter` when the action documents it (its message naming the parameter), else the
/// gateway's `Missing<Name>`.
fn missing(action: &ActionSpec, name: &str) -> ApiError {
    let own = format!("Missing{name}");
    if let Some(row) = action.errors_with_code(&own).next() {
        return row.to_error();
    }
    // A MissingParameter row that names the parameter ('VlanId') wins over a generic one, and a
    // row naming another parameter never answers.
    let rows: Vec<_> = action.errors_with_code(common::MISSING_PARAMETER.code).collect();
    let naming_others = |m: &str| (m.contains('\'') || m.contains('"')) && !common::names(m, name);
    if let Some(row) = rows
        .iter()
        .find(|r| common::names(&r.message, name))
        .or_else(|| rows.iter().find(|r| !naming_others(&r.message)))
    {
        return common::missing_documented(row.status, &row.code, &row.message, name);
    }
    common::missing_parameter(name)
}

/// The first non-empty wire value named `name` or one of its aliases.
fn scalar<'a>(spec: &ParamSpec, wire: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let names = std::iter::once(name).chain(spec.aliases.iter().map(String::as_str));
    let names: Vec<&str> = names.collect();
    wire.iter().find(|(k, v)| !v.is_empty() && names.contains(&k.as_str())).map(|(_, v)| v.as_str())
}

fn decode_param(action: &ActionSpec, spec: &ParamSpec, wire: &[(String, String)]) -> Result<Option<Value>, ApiError> {
    if spec.ty != ParamType::List {
        return scalar(spec, wire, &spec.name).map(|raw| decode_scalar(spec, spec.ty, raw)).transpose();
    }
    let items = match spec.shape.unwrap_or(ListShape::Repeat) {
        ListShape::Repeat => decode_repeat(action, spec, wire)?,
        ListShape::Comma => match scalar(spec, wire, &spec.name) {
            None => Vec::new(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| decode_scalar(spec, item_type(spec), s))
                .collect::<Result<_, _>>()?,
        },
        ListShape::Json => match scalar(spec, wire, &spec.name) {
            None => Vec::new(),
            Some(raw) => {
                let parsed: Vec<serde_json::Value> =
                    serde_json::from_str(raw).map_err(|_| invalid(spec, "must be a JSON array"))?;
                parsed.iter().map(|v| decode_json_item(spec, v)).collect::<Result<_, _>>()?
            }
        },
    };
    if let Some(max) = spec.max_items {
        if items.len() > max {
            return Err(invalid(spec, &format!("at most {max} items are allowed")));
        }
    }
    Ok((!items.is_empty()).then_some(Value::List(items)))
}

/// One item of a JSON-array list: a string item must be a JSON string (the service refuses
/// `[1,2]` for a list of ids); numbers and booleans may be written bare or quoted.
fn decode_json_item(spec: &ParamSpec, v: &serde_json::Value) -> Result<Value, ApiError> {
    let ty = item_type(spec);
    match v {
        serde_json::Value::String(s) => decode_scalar(spec, ty, s),
        serde_json::Value::Number(_) | serde_json::Value::Bool(_)
            if !matches!(ty, ParamType::String | ParamType::List | ParamType::Object) =>
        {
            decode_scalar(spec, ty, &v.to_string())
        }
        _ => Err(invalid(spec, "must be a JSON array of strings")),
    }
}

fn item_type(spec: &ParamSpec) -> ParamType {
    spec.item_type.unwrap_or(ParamType::String)
}

/// `Name.N` (scalars) or `Name.N.Field` (objects), N counted from 1, returned in N order.
fn decode_repeat(action: &ActionSpec, spec: &ParamSpec, wire: &[(String, String)]) -> Result<Vec<Value>, ApiError> {
    let mut by_index: BTreeMap<u32, Vec<(&str, &str)>> = BTreeMap::new();
    let prefixes: Vec<String> =
        std::iter::once(&spec.name).chain(spec.aliases.iter()).map(|n| format!("{n}.")).collect();
    for (k, v) in wire {
        let Some(rest) = prefixes.iter().find_map(|p| k.strip_prefix(p.as_str())) else {
            continue;
        };
        let (index, field) = match rest.split_once('.') {
            Some((i, f)) => (i, f),
            None => (rest, ""),
        };
        // No described parameter shares a list's `Name.` prefix, so whatever follows it must be
        // an index: a decimal number from 1, without sign or leading zeros (`Tag.01` is not
        // `Tag.1`, and `Tag.-1` is not silently dropped).
        if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(spec, "has an invalid list index"));
        }
        if index.starts_with('0') {
            return Err(invalid(spec, "list indexes start at 1, without leading zeros"));
        }
        let index = index.parse::<u32>().map_err(|_| invalid(spec, "has a list index out of range"))?;
        if spec.max_items.is_some_and(|max| index as usize > max) {
            return Err(invalid(spec, "has a list index out of range"));
        }
        by_index.entry(index).or_default().push((field, v.as_str()));
    }
    let mut items = Vec::with_capacity(by_index.len());
    for entries in by_index.into_values() {
        if spec.fields.is_empty() {
            if let Some((_, v)) = entries.iter().find(|(f, v)| f.is_empty() && !v.is_empty()) {
                items.push(decode_scalar(spec, item_type(spec), v)?);
            }
            continue;
        }
        let mut obj = BTreeMap::new();
        for field in &spec.fields {
            if field.ty == ParamType::List {
                // `Name.N.Field.M`: a list inside each item (Filter.N.Value.M).
                let sub: Vec<(String, String)> = entries
                    .iter()
                    .filter(|(f, _)| f.starts_with(&format!("{}.", field.name)))
                    .map(|(f, v)| ((*f).to_string(), (*v).to_string()))
                    .collect();
                let values = decode_repeat(action, field, &sub)?;
                if let Some(max) = field.max_items.filter(|max| values.len() > *max) {
                    return Err(invalid(field, &format!("at most {max} items are allowed")));
                }
                if !values.is_empty() {
                    obj.insert(field.name.clone(), Value::List(values));
                }
                continue;
            }
            let raw = entries.iter().find(|(f, v)| *f == field.name && !v.is_empty()).map(|(_, v)| *v);
            match raw {
                Some(raw) => {
                    obj.insert(field.name.clone(), decode_scalar(field, field.ty, raw)?);
                }
                None if field.required => return Err(missing(action, &format!("{}.N.{}", spec.name, field.name))),
                None => {}
            }
        }
        if !obj.is_empty() {
            items.push(Value::Object(obj));
        }
    }
    Ok(items)
}

fn decode_scalar(spec: &ParamSpec, ty: ParamType, raw: &str) -> Result<Value, ApiError> {
    let value = match ty {
        ParamType::Integer | ParamType::Long => {
            let n: i64 = raw.trim().parse().map_err(|_| invalid(spec, "must be an integer"))?;
            check_range(spec, n as f64)?;
            Value::Int(n)
        }
        ParamType::Float => {
            let n: f64 = raw.trim().parse().map_err(|_| invalid(spec, "must be a number"))?;
            check_range(spec, n)?;
            Value::Float(n)
        }
        ParamType::Boolean => match raw.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(invalid(spec, "must be true or false")),
        },
        ParamType::JsonObject => return decode_json_object(spec, raw),
        ParamType::String | ParamType::List | ParamType::Object => {
            check_string(spec, raw)?;
            // A numeric range on a String parameter (EIP and shared-bandwidth `Bandwidth`) holds
            // for the number the string carries.
            if spec.min.is_some() || spec.max.is_some() {
                let n: f64 = raw.trim().parse().map_err(|_| invalid(spec, "must be a number"))?;
                check_range(spec, n)?;
            }
            Value::Str(raw.to_string())
        }
    };
    if let (Some(values), Some(s)) = (&spec.values, raw_for_enum(&value)) {
        if !values.iter().any(|v| v == &s) {
            return Err(invalid(spec, &format!("valid values are {}", values.join(", "))));
        }
    }
    Ok(value)
}

/// The documented defaults of a `json_object` parameter: what an absent object stands for.
pub fn object_defaults(spec: &ParamSpec) -> BTreeMap<String, Value> {
    match decode_json_object(spec, "{}") {
        Ok(Value::Object(o)) => o,
        _ => BTreeMap::new(),
    }
}

/// A JSON object whose keys are described by `spec.fields` (a key may also be spelled as one of
/// the field's aliases): each present key is checked like a parameter (JSON numbers and booleans
/// as their text), a missing key takes its documented default, unknown keys are ignored. Invalid
/// JSON, a value that is not an object, or a nested object or array is the parameter's error.
fn decode_json_object(spec: &ParamSpec, raw: &str) -> Result<Value, ApiError> {
    let parsed: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(raw).map_err(|_| invalid(spec, "must be a JSON object"))?;
    let mut obj = BTreeMap::new();
    for field in &spec.fields {
        let names = std::iter::once(&field.name).chain(field.aliases.iter());
        let given = names.filter_map(|n| parsed.get(n)).find(|v| !v.is_null());
        let text = match given {
            Some(serde_json::Value::String(s)) if s.is_empty() => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => Some(v.to_string()),
            Some(_) => return Err(invalid(spec, &format!("has a malformed {}", field.name))),
            None => None,
        };
        let value = match (text, &field.default) {
            (Some(t), _) => decode_scalar(field, field.ty, &t)
                .map_err(|_| invalid(spec, &format!("has an invalid {}", field.name)))?,
            (None, Some(serde_json::Value::String(d))) => Value::Str(d.clone()),
            (None, Some(serde_json::Value::Number(n))) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or_default()),
            },
            (None, Some(serde_json::Value::Bool(b))) => Value::Bool(*b),
            (None, _) => continue,
        };
        obj.insert(field.name.clone(), value);
    }
    Ok(Value::Object(obj))
}

fn raw_for_enum(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn check_range(spec: &ParamSpec, n: f64) -> Result<(), ApiError> {
    if spec.min.is_some_and(|min| n < min) || spec.max.is_some_and(|max| n > max) {
        let lo = spec.min.map(|v| v.to_string()).unwrap_or_else(|| "-inf".into());
        let hi = spec.max.map(|v| v.to_string()).unwrap_or_else(|| "inf".into());
        return Err(invalid(spec, &format!("must be between {lo} and {hi}")));
    }
    Ok(())
}

fn check_string(spec: &ParamSpec, s: &str) -> Result<(), ApiError> {
    let len = s.chars().count();
    if spec.min_len.is_some_and(|m| len < m) || spec.max_len.is_some_and(|m| len > m) {
        return Err(invalid(spec, "has an invalid length"));
    }
    if let Some(format) = &spec.format {
        if !validate::check_format(format, s) {
            return Err(invalid(spec, "is malformed"));
        }
    }
    Ok(())
}

/// The parameter's documented error when it has one (a documented `%s` message is filled in
/// with what is wrong), else the generic InvalidParameter.
fn invalid(spec: &ParamSpec, detail: &str) -> ApiError {
    match &spec.invalid {
        Some(row) if row.message == "%s" => {
            let mut e = row.to_error();
            e.message = format!("The specified parameter {} {detail}.", spec.name).into();
            e
        }
        Some(row) => row.to_error(),
        None => common::invalid_parameter(&spec.name, detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::ActionSpec;

    fn action(json: &str) -> ActionSpec {
        serde_json::from_str(json).unwrap()
    }

    fn wire(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn sample() -> ActionSpec {
        action(
            r#"{"name":"Sample","source":{"seed":"test"},"params":[
              {"name":"RegionId","type":"String","required":true},
              {"name":"Enabled","type":"Boolean"},
              {"name":"PageSize","type":"Integer","min":1,"max":50},
              {"name":"Kind","type":"String","enum":["System","Custom"]},
              {"name":"VpcName","type":"String","min_len":2,"max_len":128,"format":"name",
               "invalid":{"status":400,"code":"InvalidVpcName.Malformed","message":"Specified VPC name is not valid."}},
              {"name":"Ids","type":"List","shape":"comma","item_type":"String","max_items":3},
              {"name":"Json","type":"List","shape":"json","item_type":"String"},
              {"name":"Tag","type":"List","shape":"repeat","max_items":5,"fields":[
                 {"name":"Key","type":"String"},{"name":"Value","type":"String"}]},
              {"name":"Filter","type":"List","shape":"repeat","fields":[
                 {"name":"Key","type":"String"},{"name":"Value","type":"List","shape":"repeat","item_type":"String"}]},
              {"name":"Scalars","type":"List","shape":"repeat","item_type":"Integer"}
            ],"errors":[]}"#,
        )
    }

    #[test]
    fn scalars_are_typed_and_empty_means_absent() {
        let p = decode(
            &sample(),
            &wire(&[
                ("RegionId", "cn-hangzhou"),
                ("Enabled", "True"),
                ("PageSize", "20"),
                ("Kind", ""),
                ("Extra", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(p.str("RegionId"), Some("cn-hangzhou"));
        assert_eq!(p.bool("Enabled"), Some(true), "booleans are case-insensitive");
        assert_eq!(p.int("PageSize"), Some(20));
        assert_eq!(p.get("Kind"), None, "empty string means absent");
        assert_eq!(p.get("Extra"), None, "unknown parameters are ignored");
    }

    #[test]
    fn missing_required_parameter_names_it() {
        let e = decode(&sample(), &wire(&[])).unwrap_err();
        assert_eq!((e.status, e.code.as_ref()), (400, "MissingRegionId"));
        assert_eq!(e.message, "RegionId is mandatory for this action.");
        let documented = action(
            r#"{"name":"X","source":{"seed":"t"},"params":[{"name":"VpcId","type":"String","required":true}],
               "errors":[{"status":400,"code":"MissingParameter","message":"Miss mandatory parameter."}]}"#,
        );
        let e = decode(&documented, &wire(&[])).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_ref(), e.message.as_ref()),
            (
                400,
                "MissingParameter",
                "The input parameter \"VpcId\" that is mandatory for processing this request is not supplied."
            ),
            "the documented code, with a message naming the parameter"
        );
        let naming = action(
            r#"{"name":"X","source":{"seed":"t"},"params":[{"name":"A","type":"String","required":true},
               {"name":"B","type":"String","required":true}],
               "errors":[{"status":400,"code":"MissingParameter","message":"The input parameter 'A' is not supplied."},
                         {"status":400,"code":"MissingParameter","message":"The input parameter 'B' is not supplied."}]}"#,
        );
        let e = decode(&naming, &wire(&[("A", "x")])).unwrap_err();
        assert_eq!(e.message, "The input parameter 'B' is not supplied.", "the row naming the parameter");
        let only_a = action(
            r#"{"name":"X","source":{"seed":"t"},"params":[{"name":"B","type":"String","required":true}],
               "errors":[{"status":400,"code":"MissingParameter","message":"The input parameter 'A' is not supplied."}]}"#,
        );
        assert_eq!(decode(&only_a, &wire(&[])).unwrap_err().code, "MissingB", "never a row naming another parameter");
    }

    #[test]
    fn values_outside_the_description_are_rejected() {
        let base = [("RegionId", "r")];
        let bad = |extra: (&str, &str)| {
            let mut w = wire(&base);
            w.push((extra.0.to_string(), extra.1.to_string()));
            decode(&sample(), &w).unwrap_err()
        };
        assert_eq!(bad(("PageSize", "51")).code, "InvalidParameter");
        assert_eq!(bad(("PageSize", "0")).code, "InvalidParameter");
        assert_eq!(bad(("PageSize", "ten")).code, "InvalidParameter");
        assert_eq!(bad(("Enabled", "yes")).code, "InvalidParameter");
        assert_eq!(bad(("Kind", "system")).code, "InvalidParameter", "enums are case-sensitive");
        assert_eq!(bad(("VpcName", "1abc")).code, "InvalidVpcName.Malformed");
        assert_eq!(bad(("VpcName", "a")).code, "InvalidVpcName.Malformed");
        assert_eq!(bad(("Ids", "a,b,c,d")).code, "InvalidParameter");
        assert_eq!(bad(("Json", "[not json")).code, "InvalidParameter");
        assert_eq!(bad(("Tag.0.Key", "k")).code, "InvalidParameter");
        for key in
            ["Tag.-1.Key", "Tag.01.Key", "Tag.+1.Key", "Tag.x.Key", "Tag..Key", "Scalars.01", "Filter.1.Value.01"]
        {
            assert_eq!(bad((key, "k")).code, "InvalidParameter", "{key}");
        }
        let e = bad(("Json", "[1,2,3]"));
        assert_eq!(e.code, "InvalidParameter", "ids are strings, not JSON numbers");
        assert!(e.message.contains("Json"), "{}", e.message);
        assert_eq!(bad(("Json", r#"["a",null]"#)).code, "InvalidParameter");
        assert_eq!(bad(("Json", r#"[["a"]]"#)).code, "InvalidParameter");
    }

    #[test]
    fn ranges_on_string_parameters_hold_for_their_number() {
        let spec = action(
            r#"{"name":"X","source":{"seed":"t"},"params":[{"name":"Bandwidth","type":"String","min":1,"max":200}]}"#,
        );
        assert!(decode(&spec, &wire(&[("Bandwidth", "200")])).is_ok());
        for bad in ["0", "201", "five"] {
            assert_eq!(decode(&spec, &wire(&[("Bandwidth", bad)])).unwrap_err().code, "InvalidParameter", "{bad}");
        }
    }

    #[test]
    fn lists_take_every_documented_shape() {
        let p = decode(
            &sample(),
            &wire(&[
                ("RegionId", "r"),
                ("Ids", "vpc-1, vpc-2"),
                ("Json", r#"["i-1","i-2"]"#),
                ("Tag.2.Key", "b"),
                ("Tag.1.Key", "a"),
                ("Tag.1.Value", "1"),
                ("Filter.1.Key", "Status"),
                ("Filter.1.Value.1", "Active"),
                ("Filter.1.Value.2", "Inactive"),
                ("Scalars.1", "7"),
                ("Scalars.2", "9"),
            ]),
        )
        .unwrap();
        assert_eq!(p.strings("Ids"), ["vpc-1", "vpc-2"]);
        assert_eq!(p.strings("Json"), ["i-1", "i-2"]);
        let tags = p.objects("Tag");
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].get("Key"), Some(&Value::Str("a".into())), "ordered by N");
        assert_eq!(tags[0].get("Value"), Some(&Value::Str("1".into())));
        assert_eq!(tags[1].get("Value"), None);
        let filter = p.objects("Filter");
        assert_eq!(
            filter[0].get("Value"),
            Some(&Value::List(vec![Value::Str("Active".into()), Value::Str("Inactive".into())]))
        );
        assert_eq!(p.get("Scalars"), Some(&Value::List(vec![Value::Int(7), Value::Int(9)])));
    }

    #[test]
    fn json_objects_take_defaults_and_reject_undescribed_values() {
        let spec = action(
            r#"{"name":"X","source":{"seed":"t"},"params":[{"name":"Cfg","type":"json_object","fields":[
                 {"name":"Mode","type":"String","enum":["main","aggressive"],"default":"main"},
                 {"name":"Life","type":"Long","min":0,"max":86400,"default":86400},
                 {"name":"LocalId","type":"String","max_len":5,"aliases":["LocalIdIPsec"]}]}]}"#,
        );
        let got = |raw: &str| decode(&spec, &wire(&[("Cfg", raw)])).map(|p| p.object("Cfg").cloned());
        let full = got(r#"{"Life":"60","LocalIdIPsec":"abc","Other":1}"#).unwrap().unwrap();
        assert_eq!(full.get("Mode"), Some(&Value::Str("main".into())), "missing keys take their defaults");
        assert_eq!(full.get("Life"), Some(&Value::Int(60)), "numbers may come as text");
        assert_eq!(full.get("LocalId"), Some(&Value::Str("abc".into())), "aliases name the key");
        assert_eq!(full.len(), 3, "unknown keys are ignored");
        assert_eq!(got("{}").unwrap().unwrap().get("LocalId"), None, "no default, no key");
        for bad in [
            "{",
            "[]",
            "\"main\"",
            r#"{"Mode":"fast"}"#,
            r#"{"Life":-1}"#,
            r#"{"LocalId":"toolong"}"#,
            r#"{"Mode":{}}"#,
        ] {
            assert_eq!(got(bad).unwrap_err().code, "InvalidParameter", "{bad}");
        }
        let defaults = object_defaults(&spec.params[0]);
        assert_eq!(defaults.get("Life"), Some(&Value::Int(86400)));
    }

    #[test]
    fn fingerprints_ignore_the_client_token() {
        let spec = action(
            r#"{"name":"X","source":{"seed":"t"},"params":[{"name":"ClientToken","type":"String"},{"name":"A","type":"String"}]}"#,
        );
        let a = decode(&spec, &wire(&[("ClientToken", "t1"), ("A", "1")])).unwrap();
        let b = decode(&spec, &wire(&[("ClientToken", "t2"), ("A", "1")])).unwrap();
        let c = decode(&spec, &wire(&[("ClientToken", "t1"), ("A", "2")])).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
