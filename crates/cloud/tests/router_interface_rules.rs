//! Router interfaces (chapter 11, seeds 000/001): roles and Specs, the state machines with the
//! emulated clock, the limits, the opposite rules, VBR-side interfaces, filters, and the seams
//! (route next hops, DeleteVpc).

mod common;

use acs_cloud::vbr::VirtualBorderRouter;
use acs_cloud::Cloud;
use acs_store::Scope;
use common::{call, cloud, code, id, ok, ACCOUNT};
use serde_json::{json, Map, Value};

const DELAY_MS: i64 = 5_000;
const SPECS: [(&str, i64); 12] = [
    ("Mini.2", 2),
    ("Mini.5", 5),
    ("Small.1", 10),
    ("Small.2", 20),
    ("Small.5", 50),
    ("Middle.1", 100),
    ("Middle.2", 200),
    ("Middle.5", 500),
    ("Large.1", 1_000),
    ("Large.2", 2_000),
    ("Large.5", 5_000),
    ("Xlarge.1", 10_000),
];

/// A VPC in `region`: (VpcId, VRouterId).
fn vpc(c: &Cloud, region: &str, cidr: &str) -> (String, String) {
    let v = ok(c, "CreateVpc", &[("RegionId", region), ("CidrBlock", cidr)]);
    (id(&v, "VpcId"), id(&v, "VRouterId"))
}

fn create(c: &Cloud, params: &[(&str, &str)]) -> Result<String, String> {
    call(c, "CreateRouterInterface", params).map(|v| id(&v, "RouterInterfaceId")).map_err(|e| e.code.into_owned())
}

fn initiator(c: &Cloud, router: &str, opposite_region: &str, spec: &str) -> String {
    create(
        c,
        &[
            ("RouterType", "VRouter"),
            ("RouterId", router),
            ("Role", "InitiatingSide"),
            ("Spec", spec),
            ("OppositeRegionId", opposite_region),
        ],
    )
    .unwrap()
}

fn acceptor_in(c: &Cloud, region: &str, router: &str, opposite_region: &str) -> String {
    create(
        c,
        &[
            ("RegionId", region),
            ("RouterType", "VRouter"),
            ("RouterId", router),
            ("Role", "AcceptingSide"),
            ("Spec", "Negative"),
            ("OppositeRegionId", opposite_region),
        ],
    )
    .unwrap()
}

/// Points `ri` (in `region`) at `opposite` with ModifyRouterInterfaceAttribute.
fn point(c: &Cloud, region: &str, ri: &str, opposite: &str, opposite_router: &str) {
    ok(
        c,
        "ModifyRouterInterfaceAttribute",
        &[
            ("RegionId", region),
            ("RouterInterfaceId", ri),
            ("OppositeInterfaceId", opposite),
            ("OppositeRouterId", opposite_router),
            ("OppositeRouterType", "VRouter"),
            ("OppositeInterfaceOwnerId", ACCOUNT),
        ],
    );
}

/// Two VPCs of cn-hangzhou and a configured (Idle) pair between their vRouters.
struct Pair {
    vpc1: String,
    vrt1: String,
    vrt2: String,
    init: String,
    acc: String,
}

fn pair(c: &Cloud) -> Pair {
    let (vpc1, vrt1) = vpc(c, "cn-hangzhou", "10.0.0.0/16");
    let (_vpc2, vrt2) = vpc(c, "cn-hangzhou", "10.1.0.0/16");
    let init = initiator(c, &vrt1, "cn-hangzhou", "Small.1");
    let acc = acceptor_in(c, "cn-hangzhou", &vrt2, "cn-hangzhou");
    point(c, "cn-hangzhou", &init, &acc, &vrt2);
    point(c, "cn-hangzhou", &acc, &init, &vrt1);
    Pair { vpc1, vrt1, vrt2, init, acc }
}

fn describe_in(c: &Cloud, region: &str, ri: &str) -> Map<String, Value> {
    let out = ok(
        c,
        "DescribeRouterInterfaces",
        &[("RegionId", region), ("Filter.1.Key", "RouterInterfaceId"), ("Filter.1.Value.1", ri)],
    );
    let items = out["RouterInterfaceSet"]["RouterInterfaceType"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{ri}: {out:?}");
    items[0].as_object().cloned().unwrap()
}

fn describe(c: &Cloud, ri: &str) -> Map<String, Value> {
    describe_in(c, "cn-hangzhou", ri)
}

fn status(c: &Cloud, ri: &str) -> String {
    describe(c, ri)["Status"].as_str().unwrap().to_string()
}

fn ids(c: &Cloud, params: &[(&str, &str)]) -> Vec<String> {
    let out = ok(c, "DescribeRouterInterfaces", params);
    let mut v: Vec<String> = out["RouterInterfaceSet"]["RouterInterfaceType"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["RouterInterfaceId"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn overdue(c: &Cloud, on: bool) {
    acs_cloud::billing::set_state(c, ACCOUNT, None, Some(on)).unwrap();
}

fn connect(c: &Cloud, p: &Pair) {
    ok(c, "ConnectRouterInterface", &[("RouterInterfaceId", &p.init)]);
}

// --- CreateRouterInterface ---------------------------------------------------------------------

#[test]
fn a_new_interface_is_idle_and_describes_every_field() {
    let c = cloud(0);
    let p = pair(&c);
    let i = describe(&c, &p.init);
    assert_eq!(i["Status"], "Idle");
    assert_eq!(i["Role"], "InitiatingSide");
    assert_eq!(i["Spec"], "Small.1");
    assert_eq!(i["Bandwidth"], 10);
    assert_eq!(i["RouterType"], "VRouter");
    assert_eq!(i["RouterId"], json!(p.vrt1));
    assert_eq!(i["VpcInstanceId"], json!(p.vpc1));
    assert_eq!(i["OppositeInterfaceId"], json!(p.acc));
    assert_eq!(i["OppositeRouterId"], json!(p.vrt2));
    assert_eq!(i["OppositeRouterType"], "VRouter");
    assert_eq!(i["OppositeInterfaceOwnerId"], ACCOUNT);
    assert_eq!(i["OppositeInterfaceSpec"], "Negative");
    assert_eq!(i["OppositeInterfaceStatus"], "Idle");
    assert_eq!(i["OppositeBandwidth"], 0);
    assert_eq!(i["BusinessStatus"], "Normal");
    assert_eq!(i["ChargeType"], "AfterPay");
    assert_eq!(i["ConnectedTime"], "");
    assert_eq!(i["CrossBorder"], false);
    let a = describe(&c, &p.acc);
    assert_eq!(a["Spec"], "Negative");
    assert_eq!(a["Bandwidth"], 0);
    assert_eq!(a["OppositeInterfaceSpec"], "Small.1");
    assert_eq!(a["OppositeBandwidth"], 10);
    assert_eq!(a["OppositeVpcInstanceId"], json!(p.vpc1));
}

#[test]
fn spec_must_match_the_role() {
    let c = cloud(0);
    let (_, vrt) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    let try_create = |router_type: &str, router: &str, role: &str, spec: &str| {
        create(
            &c,
            &[
                ("RouterType", router_type),
                ("RouterId", router),
                ("Role", role),
                ("Spec", spec),
                ("OppositeRegionId", "cn-hangzhou"),
            ],
        )
    };
    let refused = |code: &str| Err(code.to_string());
    assert_eq!(try_create("VRouter", &vrt, "InitiatingSide", "Negative"), refused("InvalidSpec.ValudNotSupported"));
    assert_eq!(try_create("VRouter", &vrt, "AcceptingSide", "Large.1"), refused("InvalidSpec.ValudNotSupported"));
    assert_eq!(try_create("VRouter", &vrt, "InitiatingSide", "Large"), refused("InvalidSpec.ValudNotSupported"));
    assert_eq!(try_create("VRouter", &vrt, "Initiator", "Large.1"), refused("InvalidRole.ValueNotSupported"));
    assert_eq!(try_create("Router", &vrt, "InitiatingSide", "Large.1"), refused("InvalidRouterType.ValueNotSupported"));
    assert_eq!(try_create("VRouter", "vrt-nope", "InitiatingSide", "Large.1"), refused("InvalidRouterId.NotFound"));
    for (spec, mbps) in SPECS {
        let ri = try_create("VRouter", &vrt, "InitiatingSide", spec).unwrap();
        assert_eq!(describe(&c, &ri)["Bandwidth"], mbps, "{spec}");
        ok(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &ri)]);
    }
}

#[test]
fn regions_are_checked_with_the_actions_wording() {
    let c = cloud(0);
    let (_, vrt) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    let err = call(
        &c,
        "CreateRouterInterface",
        &[
            ("RouterType", "VRouter"),
            ("RouterId", &vrt),
            ("Role", "InitiatingSide"),
            ("Spec", "Mini.2"),
            ("OppositeRegionId", "mars-1"),
        ],
    )
    .unwrap_err();
    assert_eq!((err.status, &*err.code), (404, "InvalidRegionId.NotFound"));
    assert_eq!(err.message, "The regionId provided does not exist in our records.");
    let err =
        call(&c, "ActivateRouterInterface", &[("RegionId", "mars-1"), ("RouterInterfaceId", "ri-x")]).unwrap_err();
    assert_eq!(err.message, "The specified RegionId does not exist in our records.");
}

#[test]
fn five_interfaces_per_router() {
    let c = cloud(0);
    let (_, vrt) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    for _ in 0..5 {
        initiator(&c, &vrt, "cn-shanghai", "Mini.2");
    }
    let params = [
        ("RouterType", "VRouter"),
        ("RouterId", vrt.as_str()),
        ("Role", "InitiatingSide"),
        ("Spec", "Mini.2"),
        ("OppositeRegionId", "cn-hangzhou"),
    ];
    assert_eq!(create(&c, &params), Err("LimitationExceed.InterfaceNumberOnRouter".into()));
    let (_, other) = vpc(&c, "cn-hangzhou", "10.1.0.0/16");
    initiator(&c, &other, "cn-hangzhou", "Mini.2");
}

#[test]
fn the_opposite_must_exist_belong_to_the_caller_and_have_the_other_role() {
    let c = cloud(0);
    let (_, vrt1) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    let (_, vrt2) = vpc(&c, "cn-hangzhou", "10.1.0.0/16");
    let acc = acceptor_in(&c, "cn-hangzhou", &vrt2, "cn-hangzhou");
    let other_init = initiator(&c, &vrt2, "cn-hangzhou", "Mini.2");
    let base = [
        ("RouterType", "VRouter"),
        ("RouterId", vrt1.as_str()),
        ("Role", "InitiatingSide"),
        ("Spec", "Mini.2"),
        ("OppositeRegionId", "cn-hangzhou"),
    ];
    let with = |extra: &[(&'static str, &str)]| {
        let mut v: Vec<(&str, &str)> = base.to_vec();
        v.extend(extra.iter().map(|(k, v)| (*k, *v)));
        create(&c, &v)
    };
    assert_eq!(with(&[("OppositeInterfaceOwnerId", "999")]), Err("Forbbiden".into()));
    assert_eq!(with(&[("OppositeInterfaceId", "ri-nope")]), Err("InvalidOpposite.NotFound".into()));
    assert_eq!(with(&[("OppositeRouterId", "vrt-nope")]), Err("InvalidOpposite.NotFound".into()));
    assert_eq!(
        with(&[("OppositeInterfaceId", &acc), ("OppositeRouterId", &vrt1)]),
        Err("InvalidOpposite.NotFound".into())
    );
    assert_eq!(with(&[("OppositeInterfaceId", &other_init)]), Err("LinkRole.NotSupport".into()));
    assert_eq!(with(&[("OppositeRouterId", &vrt1)]), Err("LinkRole.NotSupport".into()), "a router and itself");
    assert_eq!(
        with(&[("OppositeAccessPointId", "ap-cn-hangzhou-yh-A")]),
        Err("InvalidAccessPoint.ValueNotAllowed".into())
    );
    assert_eq!(with(&[("AccessPointId", "ap-cn-hangzhou-yh-A")]), Err("InvalidAccessPoint.ValueNotAllowed".into()));
    // The opposite interface fixes the opposite router and its type.
    let ri = with(&[("OppositeInterfaceId", &acc)]).unwrap();
    let d = describe(&c, &ri);
    assert_eq!(d["OppositeRouterId"], json!(vrt2));
    assert_eq!(d["OppositeRouterType"], "VRouter");
}

// --- Connect, Activate, Deactivate --------------------------------------------------------------

#[test]
fn connecting_lasts_the_transition_delay_on_both_sides() {
    let c = cloud(DELAY_MS);
    let p = pair(&c);
    connect(&c, &p);
    assert_eq!(status(&c, &p.init), "Connecting");
    assert_eq!(status(&c, &p.acc), "Connecting");
    assert_eq!(describe(&c, &p.init)["ConnectedTime"], "");
    assert_eq!(code(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &p.init)]), "Forbidden.OnlyOneConnection");
    assert_eq!(code(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.acc)]), "IncorrectStatus");
    assert_eq!(code(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.init)]), "IncorrectStatus");
    c.clock.advance_ms(DELAY_MS - 1_000);
    assert_eq!(status(&c, &p.init), "Connecting");
    c.clock.advance_ms(1_000);
    assert_eq!(status(&c, &p.init), "Active");
    assert_eq!(status(&c, &p.acc), "Active");
    assert_ne!(describe(&c, &p.init)["ConnectedTime"], "");
    assert_eq!(describe(&c, &p.init)["OppositeInterfaceStatus"], "Active");
    let err = call(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &p.init)]).unwrap_err();
    assert_eq!(err.message, "The Specified routers have a connection already");
}

#[test]
fn only_an_initiator_named_back_by_its_acceptor_connects() {
    let c = cloud(0);
    let (_, vrt1) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    let (_, vrt2) = vpc(&c, "cn-hangzhou", "10.1.0.0/16");
    let init = initiator(&c, &vrt1, "cn-hangzhou", "Mini.5");
    let acc = acceptor_in(&c, "cn-hangzhou", &vrt2, "cn-hangzhou");
    assert_eq!(code(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &acc)]), "IncorrectRole.NotInitiatingSide");
    assert_eq!(
        code(&c, "ConnectRouterInterface", &[("RouterInterfaceId", "ri-nope")]),
        "InvalidRouterInterfaceId.NotFound"
    );
    assert_eq!(code(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init)]), "InvalidOpposite.NotFound");
    point(&c, "cn-hangzhou", &init, &acc, &vrt2);
    assert_eq!(
        code(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init)]),
        "InvalidOpposite.NotFound",
        "the acceptor does not name it back"
    );
    point(&c, "cn-hangzhou", &acc, &init, &vrt1);
    ok(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init)]);
    assert_eq!(status(&c, &init), "Active");
}

#[test]
fn one_connection_between_two_routers() {
    let c = cloud(DELAY_MS);
    let p = pair(&c);
    // A second pair between the same routers.
    let init2 = initiator(&c, &p.vrt1, "cn-hangzhou", "Mini.2");
    let acc2 = acceptor_in(&c, "cn-hangzhou", &p.vrt2, "cn-hangzhou");
    point(&c, "cn-hangzhou", &init2, &acc2, &p.vrt2);
    point(&c, "cn-hangzhou", &acc2, &init2, &p.vrt1);
    connect(&c, &p);
    let err = call(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init2)]).unwrap_err();
    assert_eq!(
        (&*err.code, &*err.message),
        ("Forbidden.OnlyOneConnection", "Cannot connect concurrently between same routers")
    );
    c.clock.advance_ms(DELAY_MS);
    let err = call(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init2)]).unwrap_err();
    assert_eq!(err.message, "The Specified routers have a connection already");
    // Still a connection when deactivated; gone once one side is deleted.
    ok(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.init)]);
    ok(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.acc)]);
    c.clock.advance_ms(DELAY_MS);
    assert_eq!(code(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init2)]), "Forbidden.OnlyOneConnection");
    ok(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.init)]);
    ok(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.acc)]);
    ok(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init2)]);
}

#[test]
fn deactivate_and_activate_take_the_delay() {
    let c = cloud(DELAY_MS);
    let p = pair(&c);
    assert_eq!(code(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.init)]), "IncorrectStatus");
    assert_eq!(code(&c, "ActivateRouterInterface", &[("RouterInterfaceId", &p.init)]), "IncorrectStatus");
    connect(&c, &p);
    c.clock.advance_ms(DELAY_MS);
    assert_eq!(code(&c, "ActivateRouterInterface", &[("RouterInterfaceId", &p.init)]), "IncorrectStatus");
    ok(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.init)]);
    assert_eq!(status(&c, &p.init), "Deactivating");
    assert_eq!(status(&c, &p.acc), "Active", "each side on its own");
    assert_eq!(describe(&c, &p.acc)["OppositeInterfaceStatus"], "Deactivating");
    assert_eq!(code(&c, "ActivateRouterInterface", &[("RouterInterfaceId", &p.init)]), "IncorrectStatus");
    c.clock.advance_ms(DELAY_MS);
    assert_eq!(status(&c, &p.init), "Inactive");
    ok(&c, "ActivateRouterInterface", &[("RouterInterfaceId", &p.init)]);
    assert_eq!(status(&c, &p.init), "Activating");
    c.clock.advance_ms(DELAY_MS);
    assert_eq!(status(&c, &p.init), "Active");
}

#[test]
fn an_overdue_account_is_refused_and_locked() {
    let c = cloud(0);
    let p = pair(&c);
    connect(&c, &p);
    overdue(&c, true);
    let (_, vrt3) = vpc(&c, "cn-hangzhou", "10.2.0.0/16");
    let params = [
        ("RouterType", "VRouter"),
        ("RouterId", vrt3.as_str()),
        ("Role", "InitiatingSide"),
        ("Spec", "Mini.2"),
        ("OppositeRegionId", "cn-hangzhou"),
    ];
    assert_eq!(create(&c, &params), Err("Forbidden.BillsOutstanding".into()));
    assert_eq!(code(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.init)]), "Forbidden.FinancileLocked");
    assert_eq!(
        code(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", &p.init), ("Spec", "Large.1")]),
        "InvalidInstance.StatusError"
    );
    assert_eq!(
        code(&c, "ModifyRouterInterfaceAttribute", &[("RouterInterfaceId", &p.init), ("Name", "x1")]),
        "Forbidden.FinancileLocked"
    );
    assert_eq!(describe(&c, &p.init)["BusinessStatus"], "FinancialLocked");
    overdue(&c, false);
    ok(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.init)]);
    overdue(&c, true);
    assert_eq!(code(&c, "ActivateRouterInterface", &[("RouterInterfaceId", &p.init)]), "Forbidden.FinancileLocked");
    let other = initiator_after_paying(&c, &vrt3);
    overdue(&c, true);
    assert_eq!(code(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &other)]), "Forbidden.BillsOutstanding");
}

fn initiator_after_paying(c: &Cloud, router: &str) -> String {
    overdue(c, false);
    initiator(c, router, "cn-hangzhou", "Mini.2")
}

// --- ModifyRouterInterfaceSpec (seeds 000/001) ------------------------------------------------

#[test]
fn a_spec_change_activates_with_the_new_bandwidth() {
    let c = cloud(DELAY_MS);
    let p = pair(&c);
    assert_eq!(
        code(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", &p.init), ("Spec", "Large.1")]),
        "InvalidInstance.StatusError",
        "Idle"
    );
    connect(&c, &p);
    assert_eq!(
        code(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", &p.init), ("Spec", "Large.1")]),
        "InvalidInstance.StatusError",
        "Connecting"
    );
    c.clock.advance_ms(DELAY_MS);
    for (spec, mbps) in SPECS {
        let out = ok(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", &p.init), ("Spec", spec)]);
        assert_eq!(out["Spec"], spec);
        let d = describe(&c, &p.init);
        assert_eq!(
            (d["Status"].as_str(), d["Spec"].as_str(), &d["Bandwidth"]),
            (Some("Activating"), Some(spec), &json!(mbps))
        );
        assert_eq!(describe(&c, &p.acc)["OppositeBandwidth"], mbps);
        assert_eq!(
            code(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", &p.init), ("Spec", "Mini.2")]),
            "InvalidInstance.StatusError",
            "Activating"
        );
        c.clock.advance_ms(DELAY_MS);
        assert_eq!(status(&c, &p.init), "Active");
    }
}

#[test]
fn spec_errors_of_seed_000() {
    let c = cloud(0);
    let p = pair(&c);
    connect(&c, &p);
    let modify =
        |ri: &str, spec: &str| code(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", ri), ("Spec", spec)]);
    assert_eq!(modify("ri-nope", "Large.1"), "InvalidRouterInterfaceId.NotFound");
    assert_eq!(modify(&p.init, "Large"), "InvalidSpec.ValudNotSupported");
    assert_eq!(modify(&p.init, "Negative"), "InvalidSpec.ValudNotSupported");
    assert_eq!(modify(&p.acc, "Large.1"), "InvalidSpec.ValudNotSupported");
    // The acceptor's Negative is accepted and changes nothing.
    assert_eq!(
        ok(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", &p.acc), ("Spec", "Negative")])["Spec"],
        "Negative"
    );
    assert_eq!(status(&c, &p.acc), "Active");
    // The acceptor goes away: the initiator has no opposite left.
    ok(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.acc)]);
    ok(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.acc)]);
    assert_eq!(describe(&c, &p.init)["OppositeInterfaceStatus"], "Deleted");
    assert_eq!(modify(&p.init, "Large.1"), "InvalidOpposite.NotFound");
    let err =
        call(&c, "ModifyRouterInterfaceSpec", &[("RouterInterfaceId", &p.init), ("Spec", "Large.1")]).unwrap_err();
    assert_eq!(err.status, 404);
}

// --- ModifyRouterInterfaceAttribute -------------------------------------------------------------

#[test]
fn attributes_and_health_checks() {
    let c = cloud(0);
    let p = pair(&c);
    let modify = |params: &[(&str, &str)]| {
        let mut v = vec![("RouterInterfaceId", p.init.as_str())];
        v.extend_from_slice(params);
        call(&c, "ModifyRouterInterfaceAttribute", &v).map(|_| ()).map_err(|e| e.code.into_owned())
    };
    modify(&[("Name", "link-1"), ("Description", "to the other VPC")]).unwrap();
    let d = describe(&c, &p.init);
    assert_eq!((d["Name"].as_str(), d["Description"].as_str()), (Some("link-1"), Some("to the other VPC")));
    assert_eq!(modify(&[("Name", "1bad")]), Err("InvalidName.Malformd".into()));
    assert_eq!(modify(&[("Description", "http://x")]), Err("InvalidDescription.Malformed".into()));
    assert_eq!(modify(&[("OppositeRouterType", "Router")]), Err("InvalidOppositeRouterType.ValueNotSupported".into()));
    assert_eq!(modify(&[("HealthCheckSourceIp", "10.0.0.5")]), Err("InvalidParam.ModifyRouterInterface".into()));
    assert_eq!(
        modify(&[("HealthCheckSourceIp", "10.9.0.5"), ("HealthCheckTargetIp", "192.168.0.1")]),
        Err("InvalidParam.ModifyRouterInterface".into()),
        "outside the VPC"
    );
    assert_eq!(
        modify(&[("HealthCheckSourceIp", "garbage"), ("HealthCheckTargetIp", "192.168.0.1")]),
        Err("InvalidParam.ModifyRouterInterface".into())
    );
    modify(&[
        ("HealthCheckSourceIp", "10.0.0.5"),
        ("HealthCheckTargetIp", "192.168.0.1"),
        ("HcRate", "3000"),
        ("HcThreshold", "5"),
    ])
    .unwrap();
    let d = describe(&c, &p.init);
    assert_eq!(
        (d["HealthCheckSourceIp"].as_str(), d["HealthCheckTargetIp"].as_str()),
        (Some("10.0.0.5"), Some("192.168.0.1"))
    );
    assert_eq!((d["HcRate"].as_i64(), d["HcThreshold"].as_i64()), (Some(3000), Some(5)));
    modify(&[("DeleteHealthCheckIp", "true")]).unwrap();
    assert_eq!(describe(&c, &p.init)["HealthCheckSourceIp"], "");
    assert_eq!(modify(&[("OppositeInterfaceOwnerId", "999")]), Err("Forbbiden".into()));
    assert_eq!(modify(&[("OppositeInterfaceId", "ri-nope")]), Err("InvalidOpposite.NotFound".into()));
    assert_eq!(
        code(&c, "ModifyRouterInterfaceAttribute", &[("RouterInterfaceId", "ri-nope")]),
        "InvalidRouterInterfaceId.NotFound"
    );
    // The opposite changes only while Idle.
    connect(&c, &p);
    assert_eq!(modify(&[("OppositeInterfaceId", &p.acc)]), Err("InvalidParam.ModifyRouterInterface".into()));
    modify(&[("Name", "still-fine")]).unwrap();
}

// --- DeleteRouterInterface, routes and DeleteVpc --------------------------------------------------

#[test]
fn routes_and_vpcs_depend_on_interfaces() {
    let c = cloud(0);
    let p = pair(&c);
    let table = ok(&c, "DescribeRouteTableList", &[("VpcId", &p.vpc1)])["RouterTableList"]["RouterTableListType"][0]
        ["RouteTableId"]
        .as_str()
        .unwrap()
        .to_string();
    let route = |hop: &str| {
        call(
            &c,
            "CreateRouteEntry",
            &[
                ("RouteTableId", &table),
                ("DestinationCidrBlock", "10.1.0.0/16"),
                ("NextHopType", "RouterInterface"),
                ("NextHopId", hop),
            ],
        )
        .map_err(|e| e.code.into_owned())
    };
    assert_eq!(route("ri-nope").unwrap_err(), "InvalidRouterInterface");
    assert_eq!(route(&p.acc).unwrap_err(), "INVALID_VPC_ID", "the acceptor is in the other VPC");
    route(&p.init).unwrap();
    assert_eq!(
        code(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.init)]),
        "DependencyViolation.RouterInterfaceReferedByRouteEntry"
    );
    assert_eq!(code(&c, "DeleteRouterInterface", &[("RouterInterfaceId", "ri-nope")]), "InvalidInstanceId.NotFound");
    ok(
        &c,
        "DeleteRouteEntry",
        &[("RouteTableId", &table), ("DestinationCidrBlock", "10.1.0.0/16"), ("NextHopId", &p.init)],
    );
    assert_eq!(code(&c, "DeleteVpc", &[("VpcId", &p.vpc1)]), "DependencyViolation.RouterInterface");
    ok(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.init)]);
    assert_eq!(describe(&c, &p.acc)["OppositeInterfaceStatus"], "Deleted");
    ok(&c, "DeleteVpc", &[("VpcId", &p.vpc1)]);
}

#[test]
fn active_interfaces_cannot_be_deleted() {
    let c = cloud(0);
    let p = pair(&c);
    connect(&c, &p);
    assert_eq!(code(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.init)]), "IncorrectStatus");
    ok(&c, "DeactivateRouterInterface", &[("RouterInterfaceId", &p.init)]);
    assert_eq!(code(&c, "DeleteVpc", &[("VpcId", &p.vpc1)]), "DependencyViolation.RouteInterface", "connected");
    ok(&c, "DeleteRouterInterface", &[("RouterInterfaceId", &p.init)]);
    ok(&c, "DeleteVpc", &[("VpcId", &p.vpc1)]);
}

// --- cross-region pairs -------------------------------------------------------------------------

#[test]
fn pairs_may_cross_regions_and_borders() {
    let c = cloud(0);
    let (_, vrt1) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    let (vpc2, vrt2) = vpc(&c, "ap-southeast-1", "10.1.0.0/16");
    let init = initiator(&c, &vrt1, "ap-southeast-1", "Middle.1");
    let acc = acceptor_in(&c, "ap-southeast-1", &vrt2, "cn-hangzhou");
    point(&c, "cn-hangzhou", &init, &acc, &vrt2);
    point(&c, "ap-southeast-1", &acc, &init, &vrt1);
    ok(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &init)]);
    let i = describe(&c, &init);
    assert_eq!(i["Status"], "Active");
    assert_eq!(i["CrossBorder"], true);
    assert_eq!(i["OppositeRegionId"], "ap-southeast-1");
    assert_eq!(i["OppositeVpcInstanceId"], json!(vpc2));
    assert_eq!(describe_in(&c, "ap-southeast-1", &acc)["Status"], "Active");
    assert!(ids(&c, &[]).contains(&init) && !ids(&c, &[]).contains(&acc), "each region lists its own");
}

// --- DescribeRouterInterfaces filters -------------------------------------------------------------

#[test]
fn filters_or_their_values_and_and_each_other() {
    let c = cloud(0);
    let p = pair(&c);
    let mut all = vec![p.init.clone(), p.acc.clone()];
    all.sort();
    assert_eq!(ids(&c, &[]), all);
    let by = |key: &str, values: &[&str]| {
        let mut params = vec![("Filter.1.Key".to_string(), key.to_string())];
        for (n, v) in values.iter().enumerate() {
            params.push((format!("Filter.1.Value.{}", n + 1), v.to_string()));
        }
        let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        ids(&c, &refs)
    };
    assert_eq!(by("RouterInterfaceId", &[&p.init, &p.acc]), all);
    assert_eq!(by("RouterId", &[&p.vrt1]), vec![p.init.clone()]);
    assert_eq!(by("status", &["Idle"]), all, "keys are matched without regard to case");
    assert_eq!(by("OppositeRouterId", &[&p.vrt1]), vec![p.acc.clone()]);
    assert_eq!(by("RouterType", &["VBR"]), Vec::<String>::new());
    assert_eq!(by("RouterInterfaceOwnerId", &[ACCOUNT]), all);
    assert_eq!(by("OppositeInterfaceOwnerId", &[ACCOUNT]), all);
    assert_eq!(by("OppositeRouterType", &["VRouter"]), all);
    assert_eq!(by("OppositeInterfaceId", &[&p.acc]), vec![p.init.clone()]);
    assert_eq!(by("Name", &["nobody"]), Vec::<String>::new());
    let both = ids(
        &c,
        &[
            ("Filter.1.Key", "Status"),
            ("Filter.1.Value.1", "Idle"),
            ("Filter.2.Key", "RouterId"),
            ("Filter.2.Value.1", &p.vrt2),
        ],
    );
    assert_eq!(both, vec![p.acc.clone()]);
}

#[test]
fn filter_errors_and_paging() {
    let c = cloud(0);
    let (_, vrt) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    for _ in 0..3 {
        initiator(&c, &vrt, "cn-hangzhou", "Mini.2");
    }
    assert_eq!(
        code(&c, "DescribeRouterInterfaces", &[("Filter.1.Key", "Colour"), ("Filter.1.Value.1", "x")]),
        "InvalidFilterKey.ValueNotSupported"
    );
    assert_eq!(code(&c, "DescribeRouterInterfaces", &[("Filter.1.Key", "Status")]), "InvalidParam.NotNull");
    assert_eq!(code(&c, "DescribeRouterInterfaces", &[("Filter.1.Value.1", "Idle")]), "InvalidParam.NotNull");
    let page = ok(&c, "DescribeRouterInterfaces", &[("PageSize", "2"), ("PageNumber", "2")]);
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(page["RouterInterfaceSet"]["RouterInterfaceType"].as_array().unwrap().len(), 1);
}

// --- VBR-side interfaces ------------------------------------------------------------------------

/// A VBR (and the physical connection it rides on) put into the store directly: the VBR actions
/// are another family's.
fn put_vbr(c: &Cloud, id: &str, status: &str) {
    let scope = Scope::new(ACCOUNT, "cn-hangzhou");
    let vbr: VirtualBorderRouter = serde_json::from_value(json!({
        "id": id, "region": "cn-hangzhou", "name": "", "description": "", "status": status,
        "route_table_id": "vtb-vbr", "created_ms": 0,
        "associations": [{"physical_connection_id": "pc-1", "vlan_id": 10, "circuit_code": "",
                          "local_gateway_ip": "", "peer_gateway_ip": "", "peering_subnet_mask": ""}],
    }))
    .unwrap();
    let pc: acs_cloud::physical_connection::PhysicalConnection = serde_json::from_value(json!({
        "id": "pc-1", "region": "cn-hangzhou", "access_point_id": "ap-cn-hangzhou-yh-A", "status": "Enabled",
        "name": "", "description": "", "created_ms": 0,
    }))
    .unwrap();
    c.store
        .write(|tx| {
            tx.put(&scope, vbr);
            tx.put(&scope, pc);
            Ok::<_, acs_store::StoreError>(())
        })
        .unwrap();
}

#[test]
fn a_vbr_initiates_when_active() {
    let c = cloud(0);
    put_vbr(&c, "vbr-active", "active");
    put_vbr(&c, "vbr-off", "terminated");
    let (vpc_id, vrt) = vpc(&c, "cn-hangzhou", "10.0.0.0/16");
    let vbr = |extra: &[(&'static str, &str)]| {
        let mut v: Vec<(&str, &str)> = vec![("RouterType", "VBR"), ("OppositeRegionId", "cn-hangzhou")];
        v.extend(extra.iter().map(|(k, v)| (*k, *v)));
        create(&c, &v)
    };
    assert_eq!(
        vbr(&[("RouterId", "vbr-active"), ("Role", "AcceptingSide"), ("Spec", "Negative")]),
        Err("InvalidRole.ValueNotSupported".into())
    );
    assert_eq!(
        vbr(&[("RouterId", "vbr-off"), ("Role", "InitiatingSide"), ("Spec", "Large.1")]),
        Err("InvalidOperation.OperationNotAllowedInState".into())
    );
    assert_eq!(
        vbr(&[("RouterId", "vbr-nope"), ("Role", "InitiatingSide"), ("Spec", "Large.1")]),
        Err("InvalidRouterId.NotFound".into())
    );
    let init = [("RouterId", "vbr-active"), ("Role", "InitiatingSide"), ("Spec", "Large.1")];
    assert_eq!(
        vbr(&[init[0], init[1], init[2], ("AccessPointId", "ap-nowhere")]),
        Err("InvalidAccessPoint.NotExist".into())
    );
    assert_eq!(
        vbr(&[init[0], init[1], init[2], ("AccessPointId", "ap-cn-hangzhou-xs-A")]),
        Err("InvalidAccessPoint.NotMatch".into())
    );
    // A vRouter initiator cannot have a VBR accept.
    let to_vbr = create(
        &c,
        &[
            ("RouterType", "VRouter"),
            ("RouterId", &vrt),
            ("Role", "InitiatingSide"),
            ("Spec", "Mini.2"),
            ("OppositeRegionId", "cn-hangzhou"),
            ("OppositeRouterId", "vbr-active"),
        ],
    );
    assert_eq!(to_vbr, Err("LinkRole.NotSupport".into()));

    let vbr_ri = vbr(&init).unwrap();
    let d = describe(&c, &vbr_ri);
    assert_eq!(
        (d["RouterType"].as_str(), d["AccessPointId"].as_str(), d["VpcInstanceId"].as_str()),
        (Some("VBR"), Some("ap-cn-hangzhou-yh-A"), Some(""))
    );
    // The vRouter side accepts, naming the VBR (its access point follows the VBR).
    let acc = create(
        &c,
        &[
            ("RouterType", "VRouter"),
            ("RouterId", &vrt),
            ("Role", "AcceptingSide"),
            ("Spec", "Negative"),
            ("OppositeRegionId", "cn-hangzhou"),
            ("OppositeInterfaceId", &vbr_ri),
        ],
    )
    .unwrap();
    let a = describe(&c, &acc);
    assert_eq!(
        (a["OppositeRouterType"].as_str(), a["OppositeAccessPointId"].as_str()),
        (Some("VBR"), Some("ap-cn-hangzhou-yh-A"))
    );
    ok(&c, "ModifyRouterInterfaceAttribute", &[("RouterInterfaceId", &vbr_ri), ("OppositeInterfaceId", &acc)]);
    ok(&c, "ConnectRouterInterface", &[("RouterInterfaceId", &vbr_ri)]);
    assert_eq!(status(&c, &acc), "Active");
    assert_eq!(describe(&c, &acc)["OppositeVpcInstanceId"], "");
    // Health checks from an address of the local VPC towards the VBR side.
    ok(
        &c,
        "ModifyRouterInterfaceAttribute",
        &[("RouterInterfaceId", &acc), ("HealthCheckSourceIp", "10.0.1.1"), ("HealthCheckTargetIp", "192.168.100.1")],
    );
    // A route of the VPC may point at the vRouter side, never at the VBR side.
    let table = ok(&c, "DescribeRouteTableList", &[("VpcId", &vpc_id)])["RouterTableList"]["RouterTableListType"][0]
        ["RouteTableId"]
        .as_str()
        .unwrap()
        .to_string();
    let route = |hop: &str| {
        call(
            &c,
            "CreateRouteEntry",
            &[
                ("RouteTableId", &table),
                ("DestinationCidrBlock", "192.168.0.0/16"),
                ("NextHopType", "RouterInterface"),
                ("NextHopId", hop),
            ],
        )
        .map_err(|e| e.code.into_owned())
    };
    assert_eq!(route(&vbr_ri).unwrap_err(), "INVALID_VPC_ID");
    route(&acc).unwrap();
}
