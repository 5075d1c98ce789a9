//! PageNumber / PageSize paging shared by the Describe actions.

use acs_api::Params;
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
