//! ClientToken idempotency: the first successful call with a token records its response; a retry
//! with the same token and the same parameters gets that response again without side effects; a
//! call reusing the token with different parameters gets IdempotenceParamNotMatch. Tokens are
//! scoped to the account and action. Failed calls record nothing, so they may be retried.
//!
//! Tokens expire: the reference gives no window, so a token is remembered for
//! [`TOKEN_WINDOW_MS`] (24 hours of emulated time, moved by `/_emulator/clock/advance` like every
//! other rule); after that the same token starts a new call. At most [`MAX_TOKENS_PER_ACCOUNT`]
//! are kept per account (the oldest are forgotten first). Every write removes up to
//! [`PRUNE_PER_WRITE`] of its account's oldest records that are expired or over that cap, so the
//! records stay bounded with bounded work per call and no background job.

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

/// How long a ClientToken is remembered, in emulated milliseconds (24 hours).
pub const TOKEN_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
/// The most tokens remembered per account; beyond it the oldest are forgotten early.
pub const MAX_TOKENS_PER_ACCOUNT: usize = 10_000;
/// How many stale records one write may remove (more than one, so that a backlog shrinks).
const PRUNE_PER_WRITE: usize = 4;

type WriteFn = fn(&Call<'_>, &mut Tx<'_>) -> Result<Map<String, Value>, ApiError>;

pub(crate) fn run(call: &Call<'_>, tx: &mut Tx<'_>, f: WriteFn) -> Result<Map<String, Value>, ApiError> {
    // Tokens are scoped to the account, not the RegionId parameter: some calls (ECS
    // ModifyInstanceSpec...) carry a RegionId from one SDK and none from another, and a retry must
    // find the first answer either way.
    let scope = Scope::new(call.account, "");
    let Some(token) = call.params.str("ClientToken") else {
        let response = f(call, tx)?;
        prune(tx, &scope, call.now_ms, 0);
        return Ok(response);
    };
    let key = format!("{}:{}", call.action, token);
    if let Some(previous) = tx.get::<ClientToken>(&scope, &key) {
        if !expired(&previous, call.now_ms) {
            return if previous.fingerprint == call.params.fingerprint() {
                Ok(previous.response)
            } else {
                Err(IDEMPOTENCE_PARAM_NOT_MATCH.into())
            };
        }
        // Deleted rather than overwritten, so that the new record is the newest in creation order.
        tx.delete::<ClientToken>(&scope, &key);
    }
    let response = f(call, tx)?;
    prune(tx, &scope, call.now_ms, 1);
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

fn expired(token: &ClientToken, now_ms: i64) -> bool {
    now_ms.saturating_sub(token.created_ms) >= TOKEN_WINDOW_MS
}

/// Removes up to [`PRUNE_PER_WRITE`] of the account's oldest records (creation order) that are
/// expired or beyond [`MAX_TOKENS_PER_ACCOUNT`] once `adding` more are stored; stops at the
/// first one still needed.
fn prune(tx: &mut Tx<'_>, scope: &Scope, now_ms: i64, adding: usize) {
    let (oldest, total) = tx.page_all::<ClientToken>(scope, 0, PRUNE_PER_WRITE);
    let mut over = (total + adding).saturating_sub(MAX_TOKENS_PER_ACCOUNT);
    for token in oldest {
        if over == 0 && !expired(&token, now_ms) {
            break;
        }
        tx.delete::<ClientToken>(scope, &token.key);
        over = over.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{Cloud, Config};
    use acs_api::{decode, ActionSpec, Params};
    use acs_store::{Read, Store};
    use serde_json::json;

    fn spec() -> ActionSpec {
        serde_json::from_str(
            r#"{"name":"Make","source":{"seed":"t"},"params":[{"name":"ClientToken","type":"String"},
               {"name":"A","type":"String"}]}"#,
        )
        .unwrap()
    }

    fn params(token: Option<&str>, a: &str) -> Params {
        let mut wire = vec![("A".to_string(), a.to_string())];
        if let Some(t) = token {
            wire.push(("ClientToken".into(), t.into()));
        }
        decode(&spec(), &wire).unwrap()
    }

    /// The handler answers with the time it ran, so a replay shows the first call's time.
    fn made_at(call: &Call<'_>, _: &mut Tx<'_>) -> Result<Map<String, Value>, ApiError> {
        Ok(crate::dispatch::body(json!({ "at": call.now_ms })))
    }

    fn make(cloud: &Cloud, token: Option<&str>, a: &str, now_ms: i64) -> Result<Map<String, Value>, ApiError> {
        let params = params(token, a);
        let call = Call { cloud, action: "Make", account: "1", params: &params, now_ms };
        cloud.store.write(|tx| Ok::<_, acs_store::StoreError>(run(&call, tx, made_at))).unwrap()
    }

    fn records(cloud: &Cloud) -> usize {
        cloud.store.read(|v| v.count::<ClientToken>(&Scope::new("1", ""), |_| true))
    }

    fn cloud() -> Cloud {
        Cloud::new(Store::ephemeral(), Config::default())
    }

    #[test]
    fn a_token_is_forgotten_after_the_window() {
        let c = cloud();
        assert_eq!(make(&c, Some("t"), "x", 0).unwrap()["at"], 0);
        assert_eq!(make(&c, Some("t"), "x", TOKEN_WINDOW_MS - 1).unwrap()["at"], 0, "replayed");
        assert!(make(&c, Some("t"), "y", TOKEN_WINDOW_MS - 1).is_err(), "other parameters");
        assert_eq!(make(&c, Some("t"), "y", TOKEN_WINDOW_MS).unwrap()["at"], TOKEN_WINDOW_MS, "a new call");
        assert_eq!(make(&c, Some("t"), "y", TOKEN_WINDOW_MS + 5).unwrap()["at"], TOKEN_WINDOW_MS);
        assert_eq!(records(&c), 1);
    }

    #[test]
    fn expired_records_are_removed_by_later_writes() {
        let c = cloud();
        for i in 0..100 {
            make(&c, Some(&format!("t{i}")), "x", i).unwrap();
        }
        assert_eq!(records(&c), 100);
        // A day later, steady tokened writes: each removes more expired records than it adds.
        let later = TOKEN_WINDOW_MS + 100;
        for i in 0..40 {
            make(&c, Some(&format!("u{i}")), "x", later).unwrap();
        }
        assert_eq!(records(&c), 40, "every expired record is gone");
        // Writes without a token prune too.
        let much_later = 2 * TOKEN_WINDOW_MS + 100;
        for _ in 0..10 {
            make(&c, None, "x", much_later).unwrap();
        }
        assert_eq!(records(&c), 0);
    }

    #[test]
    fn records_are_capped_per_account() {
        let c = cloud();
        for i in 0..MAX_TOKENS_PER_ACCOUNT + 50 {
            make(&c, Some(&format!("t{i}")), "x", 0).unwrap();
            if i % 1000 == 0 {
                assert!(records(&c) <= MAX_TOKENS_PER_ACCOUNT);
            }
        }
        assert_eq!(records(&c), MAX_TOKENS_PER_ACCOUNT);
        // The newest are the ones kept.
        let newest = format!("t{}", MAX_TOKENS_PER_ACCOUNT + 49);
        assert_eq!(make(&c, Some(&newest), "x", 1).unwrap()["at"], 0);
    }
}
