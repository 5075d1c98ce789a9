//! SSH key pairs: CreateKeyPair (the emulator makes up a private key body: nothing here ever
//! logs in with it), ImportKeyPair (an OpenSSH public key), DescribeKeyPairs (name with `*`
//! wildcards, fingerprint), DeleteKeyPairs (names that do not exist are skipped), and
//! Attach/DetachKeyPair, which record the key pair's name on instances through the instance
//! family. Names are unique per region; at most 500 per region (QuotaExceed.KeyPair).

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::{Call, Cloud};
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::stable_hash;
use crate::paging::Page;
use crate::{instance, tag};

pub const MAX_KEY_PAIRS: usize = 500;
pub const TAG_TYPE: &str = "keypair";

pub const ALREADY_EXISTS: ErrorDef = ErrorDef::new(400, "KeyPair.AlreadyExist", "The key pair already exist.");
pub const QUOTA: ErrorDef = ErrorDef::new(400, "QuotaExceed.KeyPair", "The key pair quota exceeds.");
pub const INVALID_PUBLIC_KEY: ErrorDef =
    ErrorDef::new(400, "InvalidPublicKeyBody.Malformed", "The specified PublicKeyBody is not valid.");
pub const NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidKeyPairName.NotFound", "The specified KeyPairName does not exist.");

pub const ERRORS: &[ErrorDef] = &[ALREADY_EXISTS, QUOTA, INVALID_PUBLIC_KEY, NOT_FOUND];

pub(crate) const ACTIONS: Actions = &[
    ("CreateKeyPair", Handler::Write(create_key_pair)),
    ("ImportKeyPair", Handler::Write(import_key_pair)),
    ("DescribeKeyPairs", Handler::Read(describe_key_pairs)),
    ("DeleteKeyPairs", Handler::Write(delete_key_pairs)),
    ("AttachKeyPair", Handler::Write(attach_key_pair)),
    ("DetachKeyPair", Handler::Write(detach_key_pair)),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyPair {
    pub name: String,
    pub fingerprint: String,
    pub public_key: String,
    pub resource_group_id: String,
    pub created_ms: i64,
}

impl Entity for KeyPair {
    const KIND: &'static str = "key_pair";
    fn id(&self) -> &str {
        &self.name
    }
}

pub fn register(cloud: &Cloud) {
    cloud.register_taggable("Ecs", TAG_TYPE, |tx, scope, id| tx.exists::<KeyPair>(scope, id));
}

/// Whether the key pair exists in the scope.
pub fn exists(r: &impl Read, scope: &Scope, name: &str) -> bool {
    r.exists::<KeyPair>(scope, name)
}

/// An MD5-style fingerprint (16 colon-separated bytes) derived from the key.
fn fingerprint(key: &str) -> String {
    let (a, b) = (stable_hash(key), stable_hash(&format!("{key}#")));
    a.to_be_bytes().iter().chain(b.to_be_bytes().iter()).map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":")
}

fn add(call: &Call<'_>, tx: &mut Tx<'_>, scope: &Scope, public_key: String) -> Result<KeyPair, ApiError> {
    let name = call.required("KeyPairName")?.to_string();
    if exists(tx, scope, &name) {
        return Err(ALREADY_EXISTS.into());
    }
    if tx.count::<KeyPair>(scope, |_| true) >= MAX_KEY_PAIRS {
        return Err(QUOTA.into());
    }
    let pair = KeyPair {
        fingerprint: fingerprint(&public_key),
        name,
        public_key,
        resource_group_id: call.resource_group(),
        created_ms: call.now_ms,
    };
    tx.put(scope, pair.clone());
    tag::create_with(call, tx, scope, tag::Product::Ecs, TAG_TYPE, &pair.name, "Tag")?;
    Ok(pair)
}

fn create_key_pair(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut rng = rand::thread_rng();
    let blob: String = (0..64).map(|_| char::from(b'A' + rng.gen_range(0..26u8))).collect();
    let pair = add(call, tx, &scope, format!("ssh-rsa AAAAB3NzaC1yc2E{blob} emulated"))?;
    let private = format!("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA{blob}\n-----END RSA PRIVATE KEY-----");
    Ok(body(json!({
        "KeyPairId": pair.name,
        "KeyPairName": pair.name,
        "KeyPairFingerPrint": pair.fingerprint,
        "PrivateKeyBody": private,
    })))
}

fn import_key_pair(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let key = call.required("PublicKeyBody")?.trim().to_string();
    let mut parts = key.split_whitespace();
    let kinds =
        ["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-dss"];
    let valid = parts.next().is_some_and(|k| kinds.contains(&k))
        && parts
            .next()
            .is_some_and(|b| b.len() >= 16 && b.chars().all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c)));
    if !valid {
        return Err(INVALID_PUBLIC_KEY.into());
    }
    let pair = add(call, tx, &scope, key)?;
    Ok(body(json!({ "KeyPairName": pair.name, "KeyPairFingerPrint": pair.fingerprint })))
}

/// `*` matches any run of characters.
fn wildcard(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(tail) = name.strip_prefix(head) else { return false };
            (0..=tail.len()).any(|i| tail.is_char_boundary(i) && wildcard(rest, &tail[i..]))
        }
    }
}

fn describe_key_pairs(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let tags = tag::filter(call, "Tag");
    let (pairs, total) = view.page::<KeyPair>(
        &scope,
        |k| {
            call.str("KeyPairName").is_none_or(|p| wildcard(p, &k.name))
                && call.str("KeyPairFingerPrint").is_none_or(|f| f == k.fingerprint)
                && call.str("ResourceGroupId").is_none_or(|r| r == k.resource_group_id)
                && tag::matches(view, &scope, &k.name, &tags)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = pairs
        .iter()
        .map(|k| {
            json!({
                "KeyPairName": k.name,
                "KeyPairFingerPrint": k.fingerprint,
                "CreationTime": format_time(k.created_ms),
                "ResourceGroupId": k.resource_group_id,
                "Tags": tag::ecs_tags(view, &scope, &k.name),
            })
        })
        .collect();
    let mut out = body(json!({ "KeyPairs": { "KeyPair": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

/// A JSON array of names (`["a","b"]`), as the SDKs send KeyPairNames / InstanceIds.
fn json_names(call: &Call<'_>, name: &str) -> Vec<String> {
    match call.str(name) {
        Some(s) => serde_json::from_str(s).unwrap_or_else(|_| vec![s.to_string()]),
        None => Vec::new(),
    }
}

fn delete_key_pairs(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    for name in json_names(call, "KeyPairNames") {
        if tx.delete::<KeyPair>(&scope, &name) {
            tag::forget(tx, &scope, &name);
        }
    }
    Ok(Body::new())
}

fn bind(call: &Call<'_>, tx: &mut Tx<'_>, attach: bool) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let name = call.required("KeyPairName")?.to_string();
    if !exists(tx, &scope, &name) {
        return Err(NOT_FOUND.into());
    }
    let mut results = Vec::new();
    let mut failed = 0;
    for id in json_names(call, "InstanceIds") {
        let outcome = instance::set_key_pair(tx, &scope, &id, if attach { Some(&name) } else { None });
        let (success, code, message) = match outcome {
            Ok(()) => ("true", "200".to_string(), "successful".to_string()),
            Err(e) => {
                failed += 1;
                ("false", e.code.into_owned(), e.message.into_owned())
            }
        };
        results.push(json!({ "InstanceId": id, "Success": success, "Code": code, "Message": message }));
    }
    Ok(body(json!({
        "KeyPairName": name,
        "TotalCount": results.len().to_string(),
        "FailCount": failed.to_string(),
        "Results": { "Result": results },
    })))
}

fn attach_key_pair(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    bind(call, tx, true)
}

fn detach_key_pair(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    bind(call, tx, false)
}
