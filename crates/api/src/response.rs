//! Checks a response body against the action's described response fields: every described
//! field present (containers included, even when empty), nothing undescribed, JSON types as
//! described. The test suites run every answered call through it (see `--record-calls`).

use serde_json::{Map, Value};

use crate::spec::{ActionSpec, FieldSpec};

/// The differences, as readable paths (`Vpcs.Vpc[].VpcName: missing`); empty when conforming.
pub fn check_response(action: &ActionSpec, body: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    // RequestId is added by the protocol layer, after the handler.
    let fields: Vec<&FieldSpec> = action.response.iter().filter(|f| f.name != "RequestId").collect();
    check_object(&fields, body, "", &mut out);
    out
}

fn check_object(fields: &[&FieldSpec], body: &Map<String, Value>, path: &str, out: &mut Vec<String>) {
    for f in fields {
        let here = format!("{path}{}", f.name);
        match body.get(&f.name) {
            None if f.optional => {}
            None => out.push(format!("{here}: missing")),
            Some(v) => check_value(&f.ty, &f.fields, f.items.as_deref().map(|i| (&i.ty, &i.fields)), v, &here, out),
        }
    }
    for key in body.keys() {
        if !fields.iter().any(|f| &f.name == key) {
            out.push(format!("{path}{key}: not described"));
        }
    }
}

fn check_value(
    ty: &str,
    fields: &[FieldSpec],
    items: Option<(&String, &Vec<FieldSpec>)>,
    v: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let ok = match (ty, v) {
        ("String", Value::String(_)) | ("Boolean", Value::Bool(_)) => true,
        ("Integer" | "Long" | "Float", Value::Number(_)) => true,
        ("Object", Value::Object(o)) => {
            let fields: Vec<&FieldSpec> = fields.iter().collect();
            check_object(&fields, o, &format!("{path}."), out);
            true
        }
        ("Array", Value::Array(a)) => {
            if let Some((item_ty, item_fields)) = items {
                for item in a {
                    check_value(item_ty, item_fields, None, item, &format!("{path}[]"), out);
                }
            }
            true
        }
        _ => false,
    };
    if !ok {
        out.push(format!("{path}: described as {ty}, answered {}", json_type(v)));
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "number",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_undescribed_and_mistyped_fields() {
        let action: ActionSpec = serde_json::from_str(
            r#"{"name":"X","source":{"seed":"t"},"response":[
                {"name":"RequestId","type":"String"},
                {"name":"TotalCount","type":"Integer"},
                {"name":"Vpcs","type":"Object","fields":[{"name":"Vpc","type":"Array","items":{"type":"Object","fields":[
                    {"name":"VpcId","type":"String"},{"name":"IsDefault","type":"Boolean"}]}}]}]}"#,
        )
        .unwrap();
        let good = serde_json::json!({"TotalCount": 1, "Vpcs": {"Vpc": [{"VpcId": "vpc-1", "IsDefault": false}]}});
        assert!(check_response(&action, good.as_object().unwrap()).is_empty());
        let empty = serde_json::json!({"TotalCount": 0, "Vpcs": {"Vpc": []}});
        assert!(check_response(&action, empty.as_object().unwrap()).is_empty());
        let bad =
            serde_json::json!({"TotalCount": "1", "Vpcs": {"Vpc": [{"VpcId": "vpc-1", "Extra": 1}]}, "Code": "x"});
        let mut got = check_response(&action, bad.as_object().unwrap());
        got.sort();
        assert_eq!(
            got,
            [
                "Code: not described",
                "TotalCount: described as Integer, answered String",
                "Vpcs.Vpc[].Extra: not described",
                "Vpcs.Vpc[].IsDefault: missing",
            ]
        );
    }
}
