//! ClientToken idempotency: the first successful call with a token records its response; a retry
//! with the same token and the same parameters gets that response again without side effects; a
//! call reusing the token with different parameters gets IdempotenceParamNotMatch. Tokens are
//! scoped to the account and action. Failed calls record nothing, so they may be retried.

use acs_api::ApiError;
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::context::Call;
use crate::errors::IDEMPOTENCE_PARAM_NOT_MATCH;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ClientToken {
    /// `<Action>:<ClientToken>`
    key: String,
    fingerprint: String,
    response: Map<String, Value>,
    created_ms: i64,
}

impl Entity for ClientToken {
    const KIND: &'static str = "client_token";
    fn id(&self) -> &str {
        &self.key
    }
}

type WriteFn = fn(&Call<'_>, &mut Tx<'_>) -> Result<Map<String, Value>, ApiError>;

pub(crate) fn run(call: &Call<'_>, tx: &mut Tx<'_>, f: WriteFn) -> Result<Map<String, Value>, ApiError> {
    let Some(token) = call.params.str("ClientToken") else {
        return f(call, tx);
    };
    // Tokens are scoped to the account, not the RegionId parameter: some calls (ECS
    // ModifyInstanceSpec...) carry a RegionId from one SDK and none from another, and a retry must
    // find the first answer either way.
    let scope = Scope::new(call.account, "");
    let key = format!("{}:{}", call.action, token);
    if let Some(previous) = tx.get::<ClientToken>(&scope, &key) {
        return if previous.fingerprint == call.params.fingerprint() {
            Ok(previous.response)
        } else {
            Err(IDEMPOTENCE_PARAM_NOT_MATCH.into())
        };
    }
    let response = f(call, tx)?;
    tx.put(
        &scope,
        ClientToken {
            key,
            fingerprint: call.params.fingerprint().to_string(),
            response: response.clone(),
            created_ms: call.now_ms,
        },
    );
    Ok(response)
}
