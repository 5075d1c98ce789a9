//! Accounts and their AccessKeys. One default account from the command line today; the
//! registry is where more accounts (cross-account scenarios) will be added.

use std::collections::HashMap;

use acs_protocol::Credentials;

/// AccessKey ID -> (secret, account id).
#[derive(Debug, Default, Clone)]
pub struct Accounts {
    keys: HashMap<String, (String, String)>,
    default_account: String,
}

impl Accounts {
    pub fn with_default(access_key_id: &str, secret: &str, account_id: &str) -> Self {
        let mut keys = HashMap::new();
        keys.insert(access_key_id.to_string(), (secret.to_string(), account_id.to_string()));
        Self { keys, default_account: account_id.to_string() }
    }

    /// The account the control endpoints act on when none is named.
    pub fn default_account(&self) -> &str {
        &self.default_account
    }
}

impl Credentials for Accounts {
    fn lookup(&self, access_key_id: &str) -> Option<(String, String)> {
        self.keys.get(access_key_id).cloned()
    }
}
