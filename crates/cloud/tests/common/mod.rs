//! The harness of the rule tests: a cloud on an in-memory store, and calls through the same
//! path the server uses (description-driven decoding, handler, transaction) without HTTP.

#![allow(dead_code)]

use acs_api::{decode, Api, ApiError};
use acs_cloud::{Cloud, Config};
use acs_store::Store;
use serde_json::{Map, Value};

pub const ACCOUNT: &str = "1234567890123456";

pub fn cloud(delay_ms: i64) -> Cloud {
    Cloud::new(Store::ephemeral(), Config { transition_delay_ms: delay_ms, ..Config::default() })
}

/// The product of an action: ECS for the actions only it has or that the ECS tests name with an
/// `Ecs:` prefix, VPC otherwise.
fn product(action: &str) -> (&'static str, &'static str, &str) {
    match action.strip_prefix("Ecs:") {
        Some(a) => ("Ecs", "2014-05-26", a),
        None if Api::builtin().by_version("2016-04-28").and_then(|p| p.action(action)).is_some() => {
            ("Vpc", "2016-04-28", action)
        }
        None => ("Ecs", "2014-05-26", action),
    }
}

/// Calls `action` in cn-hangzhou (unless the parameters name a RegionId).
pub fn call(cloud: &Cloud, action: &str, params: &[(&str, &str)]) -> Result<Map<String, Value>, ApiError> {
    let (product, version, action) = product(action);
    let spec = Api::builtin().by_version(version).and_then(|p| p.action(action)).expect("described action");
    let mut wire: Vec<(String, String)> = Vec::new();
    if !params.iter().any(|(k, _)| *k == "RegionId") {
        wire.push(("RegionId".into(), "cn-hangzhou".into()));
    }
    wire.extend(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let handler = acs_cloud::resolve(product, spec)?;
    cloud.execute(handler, spec, ACCOUNT, &decode(spec, &wire)?)
}

pub fn ok(cloud: &Cloud, action: &str, params: &[(&str, &str)]) -> Map<String, Value> {
    call(cloud, action, params).unwrap_or_else(|e| panic!("{action}: {e}"))
}

pub fn code(cloud: &Cloud, action: &str, params: &[(&str, &str)]) -> String {
    match call(cloud, action, params) {
        Ok(v) => panic!("{action} succeeded: {v:?}"),
        Err(e) => e.code.into_owned(),
    }
}

pub fn id(v: &Map<String, Value>, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// An Enabled physical connection at an access point of cn-hangzhou: applied for, taken through
/// the provider's steps, then enabled by the user.
pub fn enabled_physical_connection(cloud: &Cloud) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static TOKENS: AtomicUsize = AtomicUsize::new(0);
    let token = format!("pc-setup-{}", TOKENS.fetch_add(1, Ordering::Relaxed));
    let created = ok(
        cloud,
        "CreatePhysicalConnection",
        &[
            ("AccessPointId", "ap-cn-hangzhou-yh-A"),
            ("LineOperator", "CT"),
            ("PeerLocation", "Hangzhou"),
            ("ClientToken", &token),
        ],
    );
    let pc = id(&created, "PhysicalConnectionId");
    for step in ["approve", "allocate", "confirm"] {
        acs_cloud::physical_connection::provider_step(cloud, ACCOUNT, &pc, step)
            .unwrap_or_else(|e| panic!("{step}: {e:?}"));
        cloud.clock.advance_ms(cloud.config.transition_delay_ms);
    }
    ok(cloud, "EnablePhysicalConnection", &[("PhysicalConnectionId", &pc)]);
    pc
}
