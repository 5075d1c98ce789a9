//! PageNumber / PageSize paging shared by the Describe actions.

use acs_api::{ApiError, ErrorDef, Params};
use serde_json::{json, Map, Value};

pub struct Page {
    pub number: usize,
    pub size: usize,
}

impl Page {
    /// PageNumber (default 1) and PageSize (default 10); their ranges are checked by the
    /// description (PageSize at most 50, or 100 for ECS instances).
    pub fn from_params(params: &Params) -> Self {
        let number = params.int("PageNumber").unwrap_or(1).max(1) as usize;
        let size = params.int("PageSize").unwrap_or(10).clamp(1, 100) as usize;
        Self { number, size }
    }

    pub fn offset(&self) -> usize {
        (self.number - 1).saturating_mul(self.size)
    }

    /// Adds TotalCount, PageNumber and PageSize to a response body.
    pub fn annotate(&self, body: &mut Map<String, Value>, total: usize) {
        body.insert("TotalCount".into(), json!(total));
        body.insert("PageNumber".into(), json!(self.number));
        body.insert("PageSize".into(), json!(self.size));
    }
}

/// `Filter.N.Key` / `Filter.N.Value.M` pairs: (key, values). Values are OR-ed inside a filter,
/// filters are AND-ed by the caller.
pub fn filters(params: &Params) -> Vec<(String, Vec<String>)> {
    params
        .objects("Filter")
        .into_iter()
        .filter_map(|f| {
            let key = f.get("Key")?.as_str()?.to_string();
            let values = match f.get("Value") {
                Some(acs_api::Value::List(vs)) => vs.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
                Some(acs_api::Value::Str(s)) => vec![s.clone()],
                _ => Vec::new(),
            };
            Some((key, values))
        })
        .collect()
}

/// The code the reference documents for an unknown filter key (DescribeRouterInterfaces,
/// DescribeVirtualBorderRouters), used by every Describe action that takes `Filter.N`.
pub const INVALID_FILTER_KEY: ErrorDef =
    ErrorDef::new(404, "InvalidFilterKey.ValueNotSupported", "Specified filter key is not supported: Filter.X.key");

/// The call's filters, once every key is one of `keys` (else InvalidFilterKey.ValueNotSupported).
pub fn checked_filters(params: &Params, keys: &[&str]) -> Result<Vec<(String, Vec<String>)>, ApiError> {
    let filters = filters(params);
    if filters.iter().any(|(key, _)| !keys.contains(&key.as_str())) {
        return Err(INVALID_FILTER_KEY.into());
    }
    Ok(filters)
}

/// Whether an item passes every filter; `field(key)` is the item's value for a filter key.
pub fn passes(filters: &[(String, Vec<String>)], field: impl Fn(&str) -> String) -> bool {
    filters.iter().all(|(key, values)| values.contains(&field(key)))
}
