//! Fault injection (`/_emulator/faults`): rules that make matching API calls fail with a chosen
//! error, in the normal envelope, or answer late, so that users can test their retry logic.
//!
//! A rule matches an action by name (`"*"`: every action), optionally of one product. Rules are
//! tried in order; the first match that fires (its `probability`) is used, and its `count`, when
//! given, goes down by one (the rule is gone at zero, in one store transaction, so that replicas
//! sharing a database count together). Rules are kept in the store beside the state, so every
//! replica of a shared deployment applies the same rules and a restarted server keeps them; they
//! are not part of an exported state document, and `/_emulator/reset` clears them with the rest.

use acs_api::{Api, ApiError};
use acs_store::{Entity, Read, Scope, Store, StoreError};
use serde::{Deserialize, Serialize};

/// One rule as `POST /_emulator/faults` takes it and `GET` shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// An action name, or `*` for all.
    pub action: String,
    /// `Vpc` or `Ecs`; any product when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The error Code to answer with; with none, the call is only delayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The HTTP status of the error (default 400; 500 for `InternalError`, 503 for
    /// `ServiceUnavailable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The error Message (default: the documented message of that code for the action, else a
    /// generic one naming the injected fault).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Chance that a matching call is hit, 0 to 1 (default 1).
    #[serde(default = "always")]
    pub probability: f64,
    /// How many calls to hit before the rule goes away (default: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Answer this many milliseconds late (before the error, or before the real answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

fn always() -> f64 {
    1.0
}

/// The longest delay a rule may ask for: a client should see its own timeout, not a hung server.
const MAX_DELAY_MS: u64 = 120_000;

impl FaultRule {
    fn check(&self) -> Result<(), String> {
        if self.action.is_empty() {
            return Err("\"action\" must name an action or be \"*\"".into());
        }
        if self.code.is_none() && self.delay_ms.is_none() {
            return Err(format!("rule for {}: give a \"code\", a \"delay_ms\", or both", self.action));
        }
        if self.code.as_deref().is_some_and(str::is_empty) {
            return Err("\"code\" must not be empty".into());
        }
        if self.status.is_some_and(|s| !(400..=599).contains(&s)) {
            return Err("\"status\" must be an HTTP error status (400 to 599)".into());
        }
        if !(0.0..=1.0).contains(&self.probability) {
            return Err("\"probability\" must be between 0 and 1".into());
        }
        if self.count == Some(0) {
            return Err("\"count\" must be at least 1".into());
        }
        if self.delay_ms.is_some_and(|d| d > MAX_DELAY_MS) {
            return Err(format!("\"delay_ms\" must be at most {MAX_DELAY_MS}"));
        }
        Ok(())
    }

    fn matches(&self, product: &str, action: &str) -> bool {
        (self.action == "*" || self.action == action) && self.product.as_deref().is_none_or(|p| p == product)
    }

    /// The error this rule answers with for `action`.
    fn error(&self, product: &str, action: &str) -> Option<ApiError> {
        let code = self.code.as_deref()?;
        let documented = Api::builtin()
            .product(product)
            .and_then(|p| p.action(action))
            .and_then(|a| a.errors_with_code(code).next().map(|row| row.to_error()));
        let status = self.status.or(documented.as_ref().map(|e| e.status)).unwrap_or(match code {
            "InternalError" => 500,
            "ServiceUnavailable" => 503,
            _ => 400,
        });
        let message = self
            .message
            .clone()
            .or(documented.map(|e| e.message.into_owned()))
            .unwrap_or_else(|| format!("Injected fault {code} for {action} (alicloud-emulator fault injection)."));
        Some(ApiError::dynamic(status, code, message))
    }
}

/// What a hit rule does to a call.
#[derive(Debug)]
pub struct Hit {
    pub delay_ms: u64,
    pub error: Option<ApiError>,
}

/// The rules in force, as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredRules {
    id: String,
    rules: Vec<FaultRule>,
}

impl Entity for StoredRules {
    const KIND: &'static str = "fault_rules";
    fn id(&self) -> &str {
        &self.id
    }
}

const RULES_ID: &str = "rules";

fn server_scope() -> Scope {
    Scope::new("", "")
}

fn stored(r: &impl Read) -> Vec<FaultRule> {
    r.get::<StoredRules>(&server_scope(), RULES_ID).map(|s| s.rules).unwrap_or_default()
}

/// The fault rules of one store.
pub struct Faults<'a> {
    store: &'a Store,
}

impl<'a> Faults<'a> {
    pub fn new(store: &'a Store) -> Self {
        Faults { store }
    }

    /// Replaces the rules, all or nothing: 400 and a reason for a bad rule, 503 when the store
    /// cannot be written.
    pub fn set(&self, rules: Vec<FaultRule>) -> Result<(), (u16, String)> {
        for r in &rules {
            r.check().map_err(|e| (400, e))?;
        }
        self.store
            .write(|tx| {
                if rules.is_empty() {
                    tx.delete::<StoredRules>(&server_scope(), RULES_ID);
                } else {
                    tx.put(&server_scope(), StoredRules { id: RULES_ID.into(), rules });
                }
                Ok::<_, StoreError>(())
            })
            .map_err(|e| (503, e.to_string()))
    }

    /// The rules as of the last catch-up with the store.
    pub fn list(&self) -> Vec<FaultRule> {
        self.store.read(|view| stored(view))
    }

    pub fn clear(&self) -> Result<(), (u16, String)> {
        self.set(Vec::new())
    }

    /// Whether a rule may hit this call, read from memory: the cheap test every call makes.
    pub fn may_hit(&self, product: &str, action: &str) -> bool {
        self.store.read(|view| stored(view).iter().any(|r| r.matches(product, action)))
    }

    /// The rule that hits this call, if any; a counted rule's count goes down in the same
    /// transaction that chose it. May wait for the backend: call it off the async workers.
    pub fn hit(&self, product: &str, action: &str) -> Result<Option<Hit>, StoreError> {
        let counted =
            self.store.read(|view| stored(view).iter().any(|r| r.matches(product, action) && r.count.is_some()));
        if !counted {
            return Ok(self.store.read(|view| choose(&mut stored(view), product, action)));
        }
        self.store.write(|tx| {
            let mut rules = stored(tx);
            let hit = choose(&mut rules, product, action);
            if rules.is_empty() {
                tx.delete::<StoredRules>(&server_scope(), RULES_ID);
            } else {
                tx.put(&server_scope(), StoredRules { id: RULES_ID.into(), rules });
            }
            Ok(hit)
        })
    }
}

/// The first matching rule that fires (its probability), counted down (and removed at zero).
fn choose(rules: &mut Vec<FaultRule>, product: &str, action: &str) -> Option<Hit> {
    let at = rules.iter().position(|r| r.matches(product, action) && rand::random::<f64>() < r.probability)?;
    let rule = &mut rules[at];
    let hit = Hit { delay_ms: rule.delay_ms.unwrap_or(0), error: rule.error(product, action) };
    if let Some(n) = rule.count.as_mut() {
        *n -= 1;
        if *n == 0 {
            rules.remove(at);
        }
    }
    Some(hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: serde_json::Value) -> FaultRule {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn counted_rules_expire_and_documented_messages_are_used() {
        let store = Store::ephemeral();
        let faults = Faults::new(&store);
        faults
            .set(vec![rule(serde_json::json!({"action": "CreateVpc", "code": "QuotaExceeded.Vpc", "count": 2}))])
            .unwrap();
        assert!(faults.hit("Vpc", "DeleteVpc").unwrap().is_none());
        let hit = faults.hit("Vpc", "CreateVpc").unwrap().unwrap();
        let error = hit.error.unwrap();
        assert_eq!((error.status, error.message.as_ref()), (400, "VPC quota exceeded."));
        assert!(faults.hit("Vpc", "CreateVpc").unwrap().is_some());
        assert!(faults.hit("Vpc", "CreateVpc").unwrap().is_none(), "count 2 hits twice");
        assert!(faults.list().is_empty());
    }

    #[test]
    fn bad_rules_change_nothing() {
        let store = Store::ephemeral();
        let faults = Faults::new(&store);
        faults.set(vec![rule(serde_json::json!({"action": "*", "delay_ms": 5}))]).unwrap();
        for bad in [
            serde_json::json!({"action": "*"}),
            serde_json::json!({"action": "*", "code": "X", "probability": 2.0}),
            serde_json::json!({"action": "*", "code": "X", "status": 200}),
            serde_json::json!({"action": "", "code": "X"}),
        ] {
            assert!(faults.set(vec![rule(bad)]).is_err());
        }
        assert_eq!(faults.list().len(), 1);
        let hit = faults.hit("Ecs", "DescribeInstances").unwrap().unwrap();
        assert_eq!((hit.delay_ms, hit.error.is_none()), (5, true));
    }

    #[test]
    fn probability_zero_never_hits() {
        let store = Store::ephemeral();
        let faults = Faults::new(&store);
        faults.set(vec![rule(serde_json::json!({"action": "*", "code": "Throttling", "probability": 0.0}))]).unwrap();
        assert!((0..100).all(|_| faults.hit("Vpc", "CreateVpc").unwrap().is_none()));
    }
}
