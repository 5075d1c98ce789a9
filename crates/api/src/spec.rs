//! The API description, deserialized from `spec/<product>.json` (format: `spec/FORMAT.md`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::ApiError;

#[derive(Debug, Deserialize)]
pub struct ProductSpec {
    pub product: String,
    pub version: String,
    pub actions: Vec<ActionSpec>,
    #[serde(skip)]
    index: HashMap<String, usize>,
    /// Every action name of the product's current SDKs (spec/known-actions.json), described or not.
    #[serde(skip)]
    known: HashSet<String>,
}

#[derive(Debug, Deserialize)]
pub struct Source {
    pub seed: String,
    #[serde(default)]
    pub line: u32,
}

#[derive(Debug, Deserialize)]
pub struct ActionSpec {
    pub name: String,
    #[serde(default)]
    pub section: String,
    pub source: Source,
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    #[serde(default)]
    pub response: Vec<FieldSpec>,
    #[serde(default)]
    pub errors: Vec<ErrorRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ParamType {
    String,
    Integer,
    Long,
    Float,
    Boolean,
    List,
    Object,
    /// A JSON object in one parameter (`{"IkeVersion":"ikev2"}`); its keys are the `fields`,
    /// each checked like a parameter, missing ones taking their `default`.
    #[serde(rename = "json_object")]
    JsonObject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListShape {
    /// `Name.N` or `Name.N.Field`
    Repeat,
    /// `a,b,c`
    Comma,
    /// a JSON array in one parameter
    Json,
}

#[derive(Debug, Deserialize)]
pub struct ParamSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    #[serde(default)]
    pub required: bool,
    /// Allowed values, as their wire text (Integer enums are written as numbers).
    #[serde(default, rename = "enum", deserialize_with = "enum_values")]
    pub values: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_len: Option<usize>,
    pub max_len: Option<usize>,
    pub default: Option<serde_json::Value>,
    pub max_items: Option<usize>,
    pub shape: Option<ListShape>,
    pub item_type: Option<ParamType>,
    #[serde(default)]
    pub fields: Vec<ParamSpec>,
    pub format: Option<String>,
    pub invalid: Option<ErrorRow>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    pub items: Option<Box<ItemSpec>>,
    /// The field may be absent (e.g. OrderId, only for subscription purchases).
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Deserialize)]
pub struct ItemSpec {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
}

/// One row of an action's documented error table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorRow {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl ErrorRow {
    pub fn to_error(&self) -> ApiError {
        ApiError::dynamic(self.status, self.code.clone(), self.message.clone())
    }
}

impl ProductSpec {
    fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let mut p: ProductSpec = serde_json::from_str(json)?;
        p.index = p.actions.iter().enumerate().map(|(i, a)| (a.name.clone(), i)).collect();
        Ok(p)
    }

    pub fn action(&self, name: &str) -> Option<&ActionSpec> {
        self.index.get(name).map(|&i| &self.actions[i])
    }

    /// Whether the real API has the action (a name of the SDKs' request classes or described).
    pub fn is_known(&self, name: &str) -> bool {
        self.known.contains(name) || self.index.contains_key(name)
    }

    /// The described action; a real action that is not described is 400 UnsupportedOperation
    /// naming it, any other name 404 InvalidAction.NotFound.
    pub fn lookup(&self, name: &str) -> Result<&ActionSpec, ApiError> {
        match self.action(name) {
            Some(a) => Ok(a),
            None if self.is_known(name) => Err(crate::common::UNSUPPORTED_OPERATION.with_message(format!(
                "The action {name} of {} exists in the real API but is not supported by alicloud-emulator yet.",
                self.product
            ))),
            None => Err(crate::common::INVALID_ACTION_NOT_FOUND.into()),
        }
    }
}

/// spec/known-actions.json: the action names of each product's SDKs (tools/known_actions.py).
#[derive(Deserialize)]
struct KnownActions {
    products: Vec<KnownProduct>,
}

#[derive(Deserialize)]
struct KnownProduct {
    product: String,
    actions: Vec<String>,
}

impl ActionSpec {
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The documented error rows with this code.
    pub fn errors_with_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a ErrorRow> + 'a {
        self.errors.iter().filter(move |e| e.code == code)
    }
}

/// Every product the emulator describes.
pub struct Api {
    pub products: Vec<ProductSpec>,
}

const VPC_JSON: &str = include_str!("../../../spec/vpc-2016-04-28.json");
const ECS_JSON: &str = include_str!("../../../spec/ecs-2014-05-26.json");
const KNOWN_JSON: &str = include_str!("../../../spec/known-actions.json");

impl Api {
    /// The checked-in description, parsed once.
    pub fn builtin() -> &'static Api {
        static API: OnceLock<Api> = OnceLock::new();
        API.get_or_init(|| {
            // The files are checked in and tested; a parse failure is a build defect.
            let known: KnownActions =
                serde_json::from_str(KNOWN_JSON).unwrap_or_else(|e| panic!("known-actions JSON is invalid: {e}"));
            let products = [VPC_JSON, ECS_JSON]
                .iter()
                .map(|json| {
                    let mut p = ProductSpec::parse(json).unwrap_or_else(|e| panic!("spec JSON is invalid: {e}"));
                    if let Some(k) = known.products.iter().find(|k| k.product == p.product) {
                        p.known = k.actions.iter().cloned().collect();
                    }
                    p
                })
                .collect();
            Api { products }
        })
    }

    /// The product an API version selects (VPC 2016-04-28, ECS 2014-05-26).
    pub fn by_version(&self, version: &str) -> Option<&ProductSpec> {
        self.products.iter().find(|p| p.version == version)
    }

    pub fn product(&self, code: &str) -> Option<&ProductSpec> {
        self.products.iter().find(|p| p.product.eq_ignore_ascii_case(code))
    }
}

/// An `enum` list of strings or numbers, as the wire text of each value.
fn enum_values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let raw: Option<Vec<serde_json::Value>> = Option::deserialize(d)?;
    Ok(raw.map(|vs| vs.into_iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect()))
}
