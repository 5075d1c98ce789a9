//! The API description covers every action of the seed documents and is well-formed.

use std::collections::HashSet;
use std::path::PathBuf;

use acs_api::validate::FORMATS;
use acs_api::{Api, ParamSpec};

fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

/// Action names listed in the seed index (ACTIONS.md): `| 6.1 | CreateVpc | 1104 |`.
fn seed_index() -> Option<Vec<String>> {
    let text = std::fs::read_to_string(seeds_dir().join("ACTIONS.md")).ok()?;
    Some(
        text.lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells.len() >= 4 && cells[1].contains('.') && cells[1].chars().next()?.is_ascii_digit())
                    .then(|| cells[2].to_string())
            })
            .collect(),
    )
}

#[test]
fn every_seed_action_is_described() {
    let api = Api::builtin();
    let vpc = api.by_version("2016-04-28").expect("VPC product");
    let described: HashSet<&str> = vpc.actions.iter().map(|a| a.name.as_str()).collect();
    // The seed index is read when the seeds are beside the repository (developer machines and
    // CI); the counts below hold either way.
    if let Some(index) = seed_index() {
        assert_eq!(index.len(), 153, "ACTIONS.md lists 153 actions");
        for name in &index {
            assert!(described.contains(name.as_str()), "{name} is not described");
        }
    }
    for havip in ["CreateHaVip", "DeleteHaVip", "AssociateHaVip", "UnassociateHaVip", "DescribeHaVips"] {
        assert!(described.contains(havip), "{havip} is not described");
    }
    assert!(described.contains("CreateVpnPbrRouteEntry"));
    // 153 seed actions and the 5 HaVip actions of the RAM table; actions added from the SDKs
    // (source "sdk") come on top.
    assert_eq!(vpc.actions.iter().filter(|a| a.source.seed != "sdk").count(), 158);
    let ecs = api.by_version("2014-05-26").expect("ECS product");
    for name in ["ModifyInstanceNetworkSpec", "ModifyInstanceSpec"] {
        assert!(ecs.action(name).is_some(), "{name} is not described");
    }
}

fn check_param(action: &str, p: &ParamSpec) {
    if let Some(f) = &p.format {
        assert!(FORMATS.contains(&f.as_str()), "{action}.{}: unknown format {f}", p.name);
    }
    if let (Some(min), Some(max)) = (p.min, p.max) {
        assert!(min <= max, "{action}.{}: min > max", p.name);
    }
    for field in &p.fields {
        check_param(action, field);
    }
}

#[test]
fn descriptions_are_well_formed() {
    for product in &Api::builtin().products {
        let mut names = HashSet::new();
        for action in &product.actions {
            assert!(names.insert(&action.name), "{} described twice", action.name);
            let mut params = HashSet::new();
            for p in &action.params {
                assert!(params.insert(&p.name), "{}.{} described twice", action.name, p.name);
                check_param(&action.name, p);
            }
            for e in &action.errors {
                assert!((400..600).contains(&e.status), "{}: {} has status {}", action.name, e.code, e.status);
                assert!(!e.code.contains(' '), "{}: code {:?}", action.name, e.code);
                if e.code.ends_with(".NotFound") {
                    assert_eq!(e.status, 404, "{}: {} must be 404", action.name, e.code);
                }
            }
        }
    }
}

#[test]
fn real_actions_that_are_not_described_are_unsupported() {
    let api = Api::builtin();
    let ecs = api.by_version("2014-05-26").expect("ECS product");
    let vpc = api.by_version("2016-04-28").expect("VPC product");
    assert!(ecs.lookup("RunInstances").is_ok());
    let e = ecs.lookup("DescribeLaunchTemplates").expect_err("not described");
    assert_eq!((e.status, e.code.as_ref()), (400, "UnsupportedOperation"));
    assert!(e.message.contains("DescribeLaunchTemplates"));
    assert_eq!(
        vpc.lookup("CreateIpv6Gateway").map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("UnsupportedOperation")
    );
    assert_eq!(vpc.lookup("DescribeNothing").map_err(|e| e.status).err(), Some(404));
    // Every described action is a real one.
    for p in [ecs, vpc] {
        for a in &p.actions {
            assert!(p.is_known(&a.name));
        }
    }
}
