//! Accounts and their AccessKeys: the default account from the command line, plus accounts
//! registered at run time through `POST /_emulator/accounts` (kept in the store, so they are as
//! durable as the resources they own, and dropped by `/_emulator/reset`). Every resource is
//! partitioned by account, so test suites that each use their own account never see each other.

use acs_protocol::Credentials;
use acs_store::{Entity, Read, Scope, Store};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// An AccessKey registered at run time.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct AccessKey {
    id: String,
    secret: String,
    account_id: String,
}

impl Entity for AccessKey {
    const KIND: &'static str = "access_key";
    fn id(&self) -> &str {
        &self.id
    }
}

/// The stored kind of registered AccessKeys (state import checks bodies against it).
pub fn stored_kind() -> acs_cloud::state::Kind {
    acs_cloud::state::kind::<AccessKey>()
}

/// Keys are global: one AccessKey id names one account everywhere.
fn keys() -> Scope {
    Scope::new("", "")
}

#[derive(Debug, Clone)]
pub struct Accounts {
    default_key: String,
    default_secret: String,
    default_account: String,
}

impl Accounts {
    pub fn with_default(access_key_id: &str, secret: &str, account_id: &str) -> Self {
        Self {
            default_key: access_key_id.to_string(),
            default_secret: secret.to_string(),
            default_account: account_id.to_string(),
        }
    }

    /// The account the control endpoints act on when none is named.
    pub fn default_account(&self) -> &str {
        &self.default_account
    }

    /// The credentials to check requests against.
    pub fn credentials<'a>(&'a self, store: &'a Store) -> impl Credentials + 'a {
        Lookup { accounts: self, store }
    }

    /// Registers an AccessKey for an account: (HTTP status, answer). An AccessKey id already
    /// registered is never re-keyed, and an account that already has a key (the default one
    /// included) gets no other, unless `replace` is true (409 otherwise).
    pub fn register(
        &self,
        store: &Store,
        key_id: &str,
        secret: &str,
        account_id: &str,
        replace: bool,
    ) -> Result<Value, (u16, String)> {
        if key_id.is_empty() || secret.is_empty() {
            return Err((400, "access_key_id and access_key_secret must not be empty".into()));
        }
        if account_id.is_empty() || account_id.len() > 20 || !account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err((400, "account_id must be 1 to 20 digits".into()));
        }
        if key_id == self.default_key {
            return Err((409, format!("{key_id} is the default account's AccessKey")));
        }
        let key = AccessKey { id: key_id.into(), secret: secret.into(), account_id: account_id.into() };
        let default_account = self.default_account.as_str();
        store
            .write(|tx| {
                // Checked inside the transaction, so two registrations cannot both pass.
                if !replace {
                    if tx.exists::<AccessKey>(&keys(), key_id) {
                        return Err(Refused(
                            409,
                            format!("{key_id} is registered already (send \"replace\": true to re-key it)"),
                        ));
                    }
                    if account_id == default_account || tx.any(&keys(), |k: &AccessKey| k.account_id == account_id) {
                        return Err(Refused(
                            409,
                            format!(
                                "account {account_id} has an AccessKey already (send \"replace\": true to add one)"
                            ),
                        ));
                    }
                }
                tx.put(&keys(), key);
                Ok(())
            })
            .map_err(|Refused(status, message)| (status, message))?;
        Ok(json!({ "access_key_id": key_id, "account_id": account_id }))
    }

    /// Every account with its AccessKey ids (secrets are not shown).
    pub fn list(&self, store: &Store) -> Value {
        let registered: Vec<Value> = store.read(|view| {
            view.list::<AccessKey>(&keys())
                .iter()
                .map(|k| json!({ "access_key_id": k.id, "account_id": k.account_id }))
                .collect()
        });
        json!({
            "default": { "access_key_id": self.default_key, "account_id": self.default_account },
            "registered": registered,
        })
    }
}

/// A registration refused inside its transaction, or the store failing it.
struct Refused(u16, String);

impl From<acs_store::StoreError> for Refused {
    fn from(e: acs_store::StoreError) -> Self {
        Refused(500, e.to_string())
    }
}

struct Lookup<'a> {
    accounts: &'a Accounts,
    store: &'a Store,
}

impl Credentials for Lookup<'_> {
    fn lookup(&self, access_key_id: &str) -> Option<(String, String)> {
        if access_key_id == self.accounts.default_key {
            return Some((self.accounts.default_secret.clone(), self.accounts.default_account.clone()));
        }
        self.store.read(|view| view.get::<AccessKey>(&keys(), access_key_id)).map(|k| (k.secret, k.account_id))
    }
}
