//! Physical connections (VPC reference chapter 14): the application lifecycle with the provider's
//! steps, the status rules of every action, quotas, LOAs and orders
//! (docs/express_connect/physical_connection.md).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use acs_api::{check_response, decode, Api, ApiError, ErrorDef};
use acs_cloud::physical_connection::{self as pc, provider_step};
use acs_cloud::{billing, Cloud, Dependents};
use acs_store::{Scope, Tx};
use common::{cloud, id, ACCOUNT};
use serde_json::{Map, Value};

/// The harness's call, with every answer checked against the description's response fields.
fn call(c: &Cloud, action: &str, params: &[(&str, &str)]) -> Result<Map<String, Value>, ApiError> {
    let body = common::call(c, action, params)?;
    let spec = Api::builtin().by_version("2016-04-28").and_then(|p| p.action(action)).expect("described action");
    let differences = check_response(spec, &body);
    assert!(differences.is_empty(), "{action} answers outside its description: {differences:?}");
    Ok(body)
}

fn ok(c: &Cloud, action: &str, params: &[(&str, &str)]) -> Map<String, Value> {
    call(c, action, params).unwrap_or_else(|e| panic!("{action}: {e}"))
}

fn code(c: &Cloud, action: &str, params: &[(&str, &str)]) -> String {
    match call(c, action, params) {
        Ok(v) => panic!("{action} succeeded: {v:?}"),
        Err(e) => e.code.into_owned(),
    }
}

const AP: &str = "ap-cn-hangzhou-yh-A";
const AP_B: &str = "ap-cn-hangzhou-xs-A";
const DELAY: i64 = 5_000;

fn token() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("token-{}", N.fetch_add(1, Ordering::Relaxed))
}

/// CreatePhysicalConnection's parameters (with a fresh ClientToken), overridden by `extra`.
fn create_params(extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut p: Vec<(&'static str, String)> = vec![
        ("AccessPointId", AP.into()),
        ("LineOperator", "CT".into()),
        ("PeerLocation", "Hangzhou, Building 5".into()),
        ("ClientToken", token()),
    ];
    for (k, v) in extra {
        p.retain(|(name, _)| name != k);
        p.push((k, (*v).to_string()));
    }
    p
}

fn refs<'a>(p: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    p.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn try_create(c: &Cloud, extra: &[(&'static str, &str)]) -> Result<Map<String, Value>, ApiError> {
    let p = create_params(extra);
    call(c, "CreatePhysicalConnection", &refs(&p))
}

fn create_code(c: &Cloud, extra: &[(&'static str, &str)]) -> String {
    match try_create(c, extra) {
        Ok(v) => panic!("created: {v:?}"),
        Err(e) => e.code.into_owned(),
    }
}

fn create(c: &Cloud, extra: &[(&'static str, &str)]) -> String {
    id(&try_create(c, extra).unwrap_or_else(|e| panic!("CreatePhysicalConnection: {e}")), "PhysicalConnectionId")
}

fn step(c: &Cloud, pc_id: &str, step: &str) -> Value {
    provider_step(c, common::ACCOUNT, pc_id, step).unwrap_or_else(|e| panic!("{step}: {e:?}"))
}

fn item(c: &Cloud, pc_id: &str) -> Map<String, Value> {
    let body =
        ok(c, "DescribePhysicalConnections", &[("Filter.1.Key", "PhysicalConnectionId"), ("Filter.1.Value.1", pc_id)]);
    let items = body["PhysicalConnectionSet"]["PhysicalConnectionType"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{pc_id}: {items:?}");
    items[0].as_object().cloned().unwrap_or_default()
}

fn status(c: &Cloud, pc_id: &str) -> String {
    item(c, pc_id)["Status"].as_str().unwrap_or_default().to_string()
}

fn to_confirmed(c: &Cloud, extra: &[(&'static str, &str)]) -> String {
    let id = create(c, extra);
    step(c, &id, "approve");
    step(c, &id, "allocate");
    c.clock.advance_ms(c.config.transition_delay_ms);
    step(c, &id, "confirm");
    id
}

fn to_enabled(c: &Cloud, extra: &[(&'static str, &str)]) -> String {
    let id = to_confirmed(c, extra);
    ok(c, "EnablePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    id
}

fn by_id(action: &str, pc_id: &str) -> Vec<(&'static str, String)> {
    let key = if action.contains("LOA") { "InstanceId" } else { "PhysicalConnectionId" };
    vec![(key, pc_id.to_string())]
}

fn act(c: &Cloud, action: &str, pc_id: &str) -> Result<Map<String, Value>, ApiError> {
    let p = by_id(action, pc_id);
    call(c, action, &refs(&p))
}

fn act_code(c: &Cloud, action: &str, pc_id: &str) -> String {
    match act(c, action, pc_id) {
        Ok(v) => panic!("{action} succeeded: {v:?}"),
        Err(e) => e.code.into_owned(),
    }
}

/// A call on behalf of another account.
fn call_as(c: &Cloud, account: &str, action: &str, params: &[(&str, &str)]) -> Result<Map<String, Value>, ApiError> {
    let spec = Api::builtin().by_version("2016-04-28").and_then(|p| p.action(action)).expect("described action");
    let mut wire: Vec<(String, String)> = vec![("RegionId".into(), "cn-hangzhou".into())];
    wire.extend(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let handler = acs_cloud::resolve("Vpc", spec)?;
    c.execute(handler, spec, account, &decode(spec, &wire)?)
}

fn balance(c: &Cloud) -> f64 {
    billing::state(c, ACCOUNT)["balance"].as_f64().unwrap_or_default()
}

const MONTH_MS: i64 = 30 * 24 * 3_600_000;

// --- lifecycle ---------------------------------------------------------------------------------

#[test]
fn an_application_goes_from_initial_to_enabled_to_terminated() {
    let c = cloud(0);
    let id = create(&c, &[("Name", "line-1"), ("Description", "The first line"), ("CircuitCode", "longtel001")]);
    assert!(id.starts_with("pc-"));
    let it = item(&c, &id);
    assert_eq!(it["Status"], "Initial");
    assert_eq!(it["AccessPointId"], AP);
    assert_eq!(it["LineOperator"], "CT");
    assert_eq!(it["PeerLocation"], "Hangzhou, Building 5");
    assert_eq!(it["PortType"], "1000Base-T", "the documented default");
    assert_eq!(it["Type"], "VPC", "the documented default");
    assert_eq!(it["Bandwidth"], 1000, "the port's capacity when none is asked");
    assert_eq!(it["Spec"], "1G");
    assert_eq!(it["Name"], "line-1");
    assert_eq!(it["Description"], "The first line");
    assert_eq!(it["CircuitCode"], "longtel001");
    assert_eq!(it["BusinessStatus"], "Normal");
    assert_eq!(it["ChargeType"], "PostPaid");
    assert_eq!(it["EnabledTime"], "");
    assert_eq!(it["PortNumber"], "");
    assert_eq!(it["AdLocation"], "");
    assert_eq!(it["LoaStatus"], "");
    assert_eq!(it["HasReservationData"], "false");

    assert_eq!(step(&c, &id, "approve")["status"], "Approved");
    assert_eq!(step(&c, &id, "allocate")["status"], "Allocated", "no transition delay");
    let it = item(&c, &id);
    assert!(it["PortNumber"].as_str().is_some_and(|p| p.starts_with("1/")));
    assert_eq!(it["AdLocation"], "Yuhang, China (Hangzhou)");
    assert_eq!(step(&c, &id, "confirm")["status"], "Confirmed");
    ok(&c, "EnablePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    let it = item(&c, &id);
    assert_eq!(it["Status"], "Enabled");
    assert!(it["EnabledTime"].as_str().is_some_and(|t| t.ends_with('Z') && t.len() == 20));
    ok(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    assert_eq!(status(&c, &id), "Terminated");
    ok(&c, "DeletePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    assert_eq!(act_code(&c, "DeletePhysicalConnection", &id), "InvalidPhysicalConnectionId.NotFound");
    let body = ok(&c, "DescribePhysicalConnections", &[]);
    assert_eq!(body["TotalCount"], 0);
}

#[test]
fn allocating_and_terminating_last_the_transition_delay() {
    let c = cloud(DELAY);
    let id = create(&c, &[]);
    step(&c, &id, "approve");
    assert_eq!(step(&c, &id, "allocate")["status"], "Allocating");
    assert_eq!(status(&c, &id), "Allocating");
    assert_eq!(act_code(&c, "ModifyPhysicalConnectionAttribute", &id), "InvalidStatus");
    assert_eq!(provider_step(&c, ACCOUNT, &id, "confirm").map_err(|e| e.0), Err(409), "not allocated yet");
    c.clock.advance_ms(DELAY / 2);
    assert_eq!(status(&c, &id), "Allocating");
    c.clock.advance_ms(DELAY / 2);
    assert_eq!(status(&c, &id), "Allocated");
    step(&c, &id, "confirm");
    ok(&c, "EnablePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    ok(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    assert_eq!(status(&c, &id), "Terminating");
    let stored = c.store.read(|v| pc::get(v, &Scope::new(ACCOUNT, "cn-hangzhou"), &id));
    assert!(stored.is_some_and(|p| !p.is_enabled()), "what the VBR family sees");
    for action in ["DeletePhysicalConnection", "TerminatePhysicalConnection", "EnablePhysicalConnection"] {
        assert_eq!(act_code(&c, action, &id), "Forbidden.NotAllowedInState", "{action} while Terminating");
    }
    assert_eq!(act_code(&c, "ModifyPhysicalConnectionAttribute", &id), "InvalidStatus");
    c.clock.advance_ms(DELAY);
    assert_eq!(status(&c, &id), "Terminated");
    ok(&c, "DeletePhysicalConnection", &[("PhysicalConnectionId", &id)]);
}

#[test]
fn allocation_can_fail_while_allocating() {
    let c = cloud(DELAY);
    let id = create(&c, &[]);
    step(&c, &id, "approve");
    step(&c, &id, "allocate");
    assert_eq!(step(&c, &id, "fail-allocation")["status"], "Allocation Failed");
    assert_eq!(item(&c, &id)["PortNumber"], "");
    let other = create(&c, &[]);
    step(&c, &other, "approve");
    step(&c, &other, "allocate");
    c.clock.advance_ms(DELAY);
    assert_eq!(provider_step(&c, ACCOUNT, &other, "fail-allocation").map_err(|e| e.0), Err(409), "already allocated");
    ok(&c, "DeletePhysicalConnection", &[("PhysicalConnectionId", &id)]);
}

#[test]
fn provider_steps_check_the_state() {
    let c = cloud(0);
    let id = create(&c, &[]);
    assert_eq!(provider_step(&c, ACCOUNT, "pc-nope", "approve").map_err(|e| e.0), Err(404));
    assert_eq!(provider_step(&c, ACCOUNT, &id, "bless").map_err(|e| e.0), Err(404));
    assert_eq!(provider_step(&c, "999", &id, "approve").map_err(|e| e.0), Err(404), "another account's");
    for s in ["allocate", "fail-allocation", "confirm", "approve-loa", "reject-loa"] {
        assert_eq!(provider_step(&c, ACCOUNT, &id, s).map_err(|e| e.0), Err(409), "{s} on Initial");
    }
    assert_eq!(step(&c, &id, "reject")["status"], "Rejected");
    assert_eq!(provider_step(&c, ACCOUNT, &id, "approve").map_err(|e| e.0), Err(409));
}

// --- CreatePhysicalConnection ------------------------------------------------------------------

#[test]
fn create_validates_its_parameters() {
    let c = cloud(0);
    let long = "x".repeat(257);
    let code_65 = "c".repeat(65);
    let cases: Vec<(Vec<(&'static str, &str)>, &str)> = vec![
        (vec![("LineOperator", "XX")], "InvalidLineOperator.Malformd"),
        (vec![("PortType", "40GBase-LR")], "InvalidPortType.Malformd"),
        (vec![("Type", "CEN")], "InvalidType.Malformd"),
        (vec![("PeerLocation", &long)], "InvalidPeerLocation.Malformd"),
        (vec![("CircuitCode", &code_65)], "InvalidCircuitCode.Malformed"),
        (vec![("Name", "1line")], "InvalidName.Malformed"),
        (vec![("Name", "a")], "InvalidName.Malformed"),
        (vec![("Description", "http://line")], "InvalidDescription.Malformed"),
        (vec![("bandwidth", "4")], "InvalidBandwidth"),
        (vec![("bandwidth", "5001")], "InvalidBandwidth"),
        (vec![("bandwidth", "many")], "InvalidBandwidth"),
        (vec![("PortType", "100Base-T"), ("bandwidth", "200")], "InvalidBandwidth"),
        (vec![("AccessPointId", "ap-cn-hangzhou-zz-A")], "InvalidAccessPointId.NotEnabled"),
        (vec![("AccessPointId", "ap-cn-beijing-ft-A")], "InvalidAccessPointId.NotEnabled"),
        (vec![("RedundantPhysicalConnectionId", "pc-nope")], "InvalidRedundantPhysicalConnectionId.NotFound"),
    ];
    for (extra, expected) in cases {
        assert_eq!(create_code(&c, &extra), expected, "{extra:?}");
    }
    assert_eq!(ok(&c, "DescribePhysicalConnections", &[])["TotalCount"], 0, "nothing was created");
    let missing =
        code(&c, "CreatePhysicalConnection", &[("AccessPointId", AP), ("LineOperator", "CT"), ("PeerLocation", "x")]);
    assert_eq!(missing, "MissingClientToken", "the seed marks ClientToken required");
    let id = create(&c, &[("PortType", "100Base-T"), ("bandwidth", "50"), ("AccessPointId", AP_B)]);
    let it = item(&c, &id);
    assert_eq!((it["Bandwidth"].as_i64(), it["Spec"].as_str()), (Some(50), Some("100M")));
    let id = create(&c, &[("PortType", "10GBase-LR"), ("Bandwidth", "5000")]);
    assert_eq!(item(&c, &id)["Bandwidth"], 5000, "Bandwidth is accepted for bandwidth");
    let id = create(&c, &[("PortType", "10GBase-T")]);
    assert_eq!((item(&c, &id)["Bandwidth"].as_i64(), item(&c, &id)["Spec"].as_str()), (Some(10_000), Some("10G")));
}

#[test]
fn the_same_client_token_creates_one_connection() {
    let c = cloud(0);
    let p = create_params(&[]);
    let first = ok(&c, "CreatePhysicalConnection", &refs(&p));
    let again = ok(&c, "CreatePhysicalConnection", &refs(&p));
    assert_eq!(first["PhysicalConnectionId"], again["PhysicalConnectionId"]);
    assert_eq!(ok(&c, "DescribePhysicalConnections", &[])["TotalCount"], 1);
}

#[test]
fn at_most_five_applications_are_open() {
    let c = cloud(0);
    let ids: Vec<String> = (0..5).map(|_| create(&c, &[])).collect();
    assert_eq!(create_code(&c, &[]), "QuotaExceeded.freePconnPerAP");
    assert_eq!(create_code(&c, &[("AccessPointId", AP_B)]), "QuotaExceeded.freePconnPerAP", "for the whole region");
    assert!(try_create(&c, &[("AccessPointId", "ap-cn-shanghai-nh-A"), ("RegionId", "cn-shanghai")]).is_ok());
    // A rejected application still counts (it can be modified and reviewed again)...
    step(&c, &ids[0], "reject");
    assert_eq!(create_code(&c, &[]), "QuotaExceeded.freePconnPerAP");
    // ...a cancelled one does not, nor an enabled one.
    ok(&c, "CancelPhysicalConnection", &[("PhysicalConnectionId", &ids[1])]);
    create(&c, &[]);
    ok(&c, "DeletePhysicalConnection", &[("PhysicalConnectionId", &ids[0])]);
    create(&c, &[]);
    step(&c, &ids[2], "approve");
    step(&c, &ids[2], "allocate");
    step(&c, &ids[2], "confirm");
    assert_eq!(create_code(&c, &[]), "QuotaExceeded.freePconnPerAP", "Confirmed is not Enabled yet");
    ok(&c, "EnablePhysicalConnection", &[("PhysicalConnectionId", &ids[2])]);
    create(&c, &[]);
    assert_eq!(create_code(&c, &[]), "QuotaExceeded.freePconnPerAP");
}

#[test]
fn an_access_point_takes_ten_connections_of_an_account() {
    let c = cloud(0);
    for _ in 0..10 {
        to_enabled(&c, &[]);
    }
    assert_eq!(create_code(&c, &[]), "QuotaExceeded.pConnPerAP");
    create(&c, &[("AccessPointId", AP_B)]);
}

#[test]
fn no_application_while_the_account_is_overdue() {
    let c = cloud(0);
    let enabled = to_enabled(&c, &[]);
    let open = create(&c, &[]);
    billing::set_state(&c, ACCOUNT, None, Some(true)).expect("billing");
    assert_eq!(create_code(&c, &[]), "Forbidden.BillsOutstanding");
    let setup = call(&c, "CreatePhysicalConnectionSetupOrder", &[("AccessPointId", AP), ("LineOperator", "CT")]);
    assert_eq!(setup.map_err(|e| e.code.into_owned()).err().as_deref(), Some("Forbidden.BillsOutstanding"));
    assert_eq!(item(&c, &enabled)["BusinessStatus"], "FinancialLocked");
    assert_eq!(item(&c, &open)["BusinessStatus"], "Normal", "nothing is billed before it is enabled");
    billing::set_state(&c, ACCOUNT, None, Some(false)).expect("billing");
    create(&c, &[]);
    assert_eq!(item(&c, &enabled)["BusinessStatus"], "Normal");
}

#[test]
fn a_redundant_connection_must_be_built_and_the_callers() {
    let c = cloud(0);
    let initial = create(&c, &[]);
    assert_eq!(
        create_code(&c, &[("RedundantPhysicalConnectionId", &initial)]),
        "InvalidRedundantPhysicalConnectionStatus"
    );
    step(&c, &initial, "approve");
    assert_eq!(
        create_code(&c, &[("RedundantPhysicalConnectionId", &initial)]),
        "InvalidRedundantPhysicalConnectionStatus"
    );
    step(&c, &initial, "allocate");
    let id = create(&c, &[("RedundantPhysicalConnectionId", &initial)]);
    assert_eq!(item(&c, &id)["RedundantPhysicalConnectionId"], initial.as_str());
    step(&c, &initial, "confirm");
    create(&c, &[("RedundantPhysicalConnectionId", &initial)]);
    ok(&c, "EnablePhysicalConnection", &[("PhysicalConnectionId", &initial)]);
    create(&c, &[("RedundantPhysicalConnectionId", &initial)]);

    // Another account's connection.
    let theirs = call_as(
        &c,
        "222",
        "CreatePhysicalConnection",
        &[("AccessPointId", AP), ("LineOperator", "CU"), ("PeerLocation", "x"), ("ClientToken", "t-222")],
    )
    .expect("their connection");
    let theirs = id_of(&theirs);
    assert_eq!(create_code(&c, &[("RedundantPhysicalConnectionId", &theirs)]), "InvalidRedundantPhysicalConnection");
    // Theirs is not ours in any action.
    assert_eq!(act_code(&c, "CancelPhysicalConnection", &theirs), "InvalidPhysicalConnectionId.NotFound");
    // Gone once they delete it.
    call_as(&c, "222", "CancelPhysicalConnection", &[("PhysicalConnectionId", &theirs)]).expect("cancel");
    call_as(&c, "222", "DeletePhysicalConnection", &[("PhysicalConnectionId", &theirs)]).expect("delete");
    assert_eq!(
        create_code(&c, &[("RedundantPhysicalConnectionId", &theirs)]),
        "InvalidRedundantPhysicalConnectionId.NotFound"
    );
}

fn id_of(v: &Map<String, Value>) -> String {
    id(v, "PhysicalConnectionId")
}

// --- Cancel / Enable / Terminate / Delete ------------------------------------------------------

#[test]
fn only_an_application_not_enabled_can_be_cancelled() {
    let c = cloud(0);
    assert_eq!(act_code(&c, "CancelPhysicalConnection", "pc-nope"), "InvalidPhysicalConnectionId.NotFound");
    let initial = create(&c, &[]);
    let approved = create(&c, &[]);
    step(&c, &approved, "approve");
    let confirmed = to_confirmed(&c, &[]);
    for id in [&initial, &approved, &confirmed] {
        ok(&c, "CancelPhysicalConnection", &[("PhysicalConnectionId", id)]);
        assert_eq!(status(&c, id), "Canceled");
        assert_eq!(act_code(&c, "CancelPhysicalConnection", id), "Forbidden.NotAllowedInState", "twice");
    }
    let enabled = to_enabled(&c, &[]);
    assert_eq!(act_code(&c, "CancelPhysicalConnection", &enabled), "Forbidden.NotAllowedInState");
    let rejected = create(&c, &[]);
    step(&c, &rejected, "reject");
    assert_eq!(act_code(&c, "CancelPhysicalConnection", &rejected), "Forbidden.NotAllowedInState");
}

#[test]
fn only_a_confirmed_connection_can_be_enabled() {
    let c = cloud(0);
    assert_eq!(act_code(&c, "EnablePhysicalConnection", "pc-nope"), "InvalidPhysicalConnectionId.NotFound");
    let id = create(&c, &[]);
    for s in ["approve", "allocate"] {
        assert_eq!(act_code(&c, "EnablePhysicalConnection", &id), "Forbidden.NotAllowedInState");
        step(&c, &id, s);
    }
    assert_eq!(act_code(&c, "EnablePhysicalConnection", &id), "Forbidden.NotAllowedInState");
    step(&c, &id, "confirm");
    ok(&c, "EnablePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    assert_eq!(act_code(&c, "EnablePhysicalConnection", &id), "Forbidden.NotAllowedInState", "already enabled");
}

#[test]
fn only_an_enabled_connection_can_be_terminated() {
    let c = cloud(0);
    assert_eq!(act_code(&c, "TerminatePhysicalConnection", "pc-nope"), "InvalidPhysicalConnectionId.NotFound");
    let confirmed = to_confirmed(&c, &[]);
    assert_eq!(act_code(&c, "TerminatePhysicalConnection", &confirmed), "Forbidden.NotAllowedInState");
    let enabled = to_enabled(&c, &[]);
    ok(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &enabled)]);
    assert_eq!(act_code(&c, "TerminatePhysicalConnection", &enabled), "Forbidden.NotAllowedInState", "twice");
}

#[test]
fn deletion_takes_ended_connections_of_the_region() {
    let c = cloud(0);
    assert_eq!(act_code(&c, "DeletePhysicalConnection", "pc-nope"), "InvalidPhysicalConnectionId.NotFound");
    let initial = create(&c, &[]);
    let confirmed = to_confirmed(&c, &[]);
    let enabled = to_enabled(&c, &[]);
    for id in [&initial, &confirmed, &enabled] {
        assert_eq!(act_code(&c, "DeletePhysicalConnection", id), "Forbidden.NotAllowedInState");
    }
    let elsewhere = call(
        &c,
        "CreatePhysicalConnection",
        &[
            ("RegionId", "cn-shanghai"),
            ("AccessPointId", "ap-cn-shanghai-nh-A"),
            ("LineOperator", "CM"),
            ("PeerLocation", "Shanghai"),
            ("ClientToken", &token()),
        ],
    )
    .map(|v| id_of(&v))
    .expect("created in Shanghai");
    assert_eq!(act_code(&c, "DeletePhysicalConnection", &elsewhere), "InvalidPhysicalConnectionId.NotMatched");
    let rejected = create(&c, &[]);
    step(&c, &rejected, "reject");
    let failed = create(&c, &[]);
    step(&c, &failed, "approve");
    step(&c, &failed, "fail-allocation");
    ok(&c, "CancelPhysicalConnection", &[("PhysicalConnectionId", &initial)]);
    ok(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &enabled)]);
    for id in [&rejected, &failed, &initial, &enabled] {
        ok(&c, "DeletePhysicalConnection", &[("PhysicalConnectionId", id)]);
    }
    assert_eq!(ok(&c, "DescribePhysicalConnections", &[])["TotalCount"], 1, "the confirmed one is left");
}

/// A stand-in for the VBR family: every connection has a VBR.
struct VbrsEverywhere;

impl Dependents for VbrsEverywhere {
    fn physical_connection_in_use(&self, _tx: &Tx<'_>, _scope: &Scope, _pc_id: &str) -> Option<ApiError> {
        Some(VBR_EXISTS.into())
    }
}

const VBR_EXISTS: ErrorDef = pc::FORBIDDEN_VBR_EXISTS;

#[test]
fn vbrs_block_termination_and_deletion() {
    let c = cloud(0);
    let enabled = to_enabled(&c, &[]);
    let cancelled = create(&c, &[]);
    ok(&c, "CancelPhysicalConnection", &[("PhysicalConnectionId", &cancelled)]);
    c.register_dependents(Arc::new(VbrsEverywhere));
    assert_eq!(act_code(&c, "TerminatePhysicalConnection", &enabled), "Forbidden.VBRExists");
    assert_eq!(status(&c, &enabled), "Enabled");
    assert_eq!(act_code(&c, "DeletePhysicalConnection", &cancelled), "Forbidden.VBRExists");
    assert_eq!(act_code(&c, "DeletePhysicalConnection", &enabled), "Forbidden.NotAllowedInState", "the state first");
}

// --- ModifyPhysicalConnectionAttribute ---------------------------------------------------------

fn modify(c: &Cloud, id: &str, extra: &[(&str, &str)]) -> Result<Map<String, Value>, ApiError> {
    let mut p = vec![("PhysicalConnectionId", id)];
    p.extend_from_slice(extra);
    call(c, "ModifyPhysicalConnectionAttribute", &p)
}

fn modify_code(c: &Cloud, id: &str, extra: &[(&str, &str)]) -> String {
    match modify(c, id, extra) {
        Ok(v) => panic!("modified: {v:?}"),
        Err(e) => e.code.into_owned(),
    }
}

#[test]
fn modify_changes_the_attributes() {
    let c = cloud(0);
    assert_eq!(modify_code(&c, "pc-nope", &[("Name", "abc")]), "InvalidPhysicalConnectionId.NotFound");
    let id = create(&c, &[]);
    modify(
        &c,
        &id,
        &[
            ("Name", "renamed"),
            ("Description", "Moved to room 2"),
            ("CircuitCode", "c-2"),
            ("PeerLocation", "Hangzhou, Building 6"),
            ("LineOperator", "CU"),
            ("PortType", "10GBase-LR"),
            ("bandwidth", "8000"),
        ],
    )
    .expect("modified");
    let it = item(&c, &id);
    assert_eq!(it["Name"], "renamed");
    assert_eq!(it["Description"], "Moved to room 2");
    assert_eq!(it["CircuitCode"], "c-2");
    assert_eq!(it["PeerLocation"], "Hangzhou, Building 6");
    assert_eq!(it["LineOperator"], "CU");
    assert_eq!((it["PortType"].as_str(), it["Bandwidth"].as_i64()), (Some("10GBase-LR"), Some(8000)));
    modify(&c, &id, &[("PortType", "1000Base-LX")]).expect("a smaller port");
    assert_eq!(item(&c, &id)["Bandwidth"], 1000, "capped by the port");
    assert_eq!(status(&c, &id), "Initial");

    for (extra, expected) in [
        (("Bandwidth", "1"), "InvalidBandwidth"),
        (("Bandwidth", "10241"), "InvalidBandwidth"),
        (("Bandwidth", "2000"), "InvalidBandwidth"),
        (("PortType", "E1-2M"), "InvalidPortType.Malformd"),
        (("Name", "-x"), "InvalidName.Malformed"),
        (("Description", "https://x"), "InvalidDescription.Malformed"),
        (("LineOperator", "ZZ"), "InvalidLineOperator.Malformd"),
        (("RedundantPhysicalConnectionId", "pc-nope"), "InvalidRedundantPhysicalConnection"),
        (("RedundantPhysicalConnectionId", id.as_str()), "InvalidRedundantPhysicalConnectionStatus"),
    ] {
        assert_eq!(modify_code(&c, &id, &[extra]), expected, "{extra:?}");
    }
}

#[test]
fn modify_follows_the_status_rules() {
    let c = cloud(0);
    let enabled = to_enabled(&c, &[]);
    modify(&c, &enabled, &[("Name", "in-service"), ("Description", "Still fine")]).expect("names change any time");
    for spec in [("Bandwidth", "500"), ("PortType", "100Base-T"), ("RedundantPhysicalConnectionId", enabled.as_str())] {
        assert_eq!(modify_code(&c, &enabled, &[spec]), "InvalidStatus", "{spec:?} on Enabled");
    }
    let approved = create(&c, &[]);
    step(&c, &approved, "approve");
    assert_eq!(modify_code(&c, &approved, &[("Bandwidth", "500")]), "InvalidStatus");
    modify(&c, &approved, &[("Name", "approved")]).expect("name");

    let rejected = create(&c, &[]);
    step(&c, &rejected, "reject");
    modify(&c, &rejected, &[("Bandwidth", "500"), ("RedundantPhysicalConnectionId", &enabled)]).expect("rejected");
    let it = item(&c, &rejected);
    assert_eq!((it["Status"].as_str(), it["Bandwidth"].as_i64()), (Some("Initial"), Some(500)), "reviewed again");
    assert_eq!(it["RedundantPhysicalConnectionId"], enabled.as_str());

    let cancelled = create(&c, &[]);
    ok(&c, "CancelPhysicalConnection", &[("PhysicalConnectionId", &cancelled)]);
    let failed = create(&c, &[]);
    step(&c, &failed, "approve");
    step(&c, &failed, "fail-allocation");
    ok(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &enabled)]);
    for id in [&cancelled, &failed, &enabled] {
        assert_eq!(modify_code(&c, id, &[("Name", "nope")]), "InvalidStatus");
    }
}

// --- DescribePhysicalConnections ---------------------------------------------------------------

fn ids(c: &Cloud, params: &[(&str, &str)]) -> Vec<String> {
    let body = ok(c, "DescribePhysicalConnections", params);
    let mut out: Vec<String> = body["PhysicalConnectionSet"]["PhysicalConnectionType"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["PhysicalConnectionId"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

fn sorted(mut v: Vec<&String>) -> Vec<String> {
    v.sort();
    v.into_iter().cloned().collect()
}

#[test]
fn describe_filters_and_pages() {
    let c = cloud(0);
    let a = create(&c, &[("Name", "alpha"), ("LineOperator", "CT")]);
    let b = create(&c, &[("Name", "beta"), ("LineOperator", "CU"), ("AccessPointId", AP_B), ("PortType", "10GBase-T")]);
    let d = create(&c, &[("Name", "delta"), ("LineOperator", "CM")]);
    step(&c, &d, "approve");
    step(&c, &d, "fail-allocation");

    assert_eq!(ids(&c, &[]), sorted(vec![&a, &b, &d]));
    assert_eq!(
        ids(&c, &[("Filter.1.Key", "Name"), ("Filter.1.Value.1", "alpha"), ("Filter.1.Value.2", "beta")]),
        sorted(vec![&a, &b])
    );
    assert_eq!(
        ids(
            &c,
            &[
                ("Filter.1.Key", "Name"),
                ("Filter.1.Value.1", "alpha"),
                ("Filter.1.Value.2", "beta"),
                ("Filter.2.Key", "LineOperator"),
                ("Filter.2.Value.1", "CU"),
            ]
        ),
        vec![b.clone()],
        "filters are AND-ed"
    );
    assert_eq!(ids(&c, &[("Filter.1.Key", "AccessPointId"), ("Filter.1.Value.1", AP_B)]), vec![b.clone()]);
    assert_eq!(ids(&c, &[("Filter.1.Key", "Spec"), ("Filter.1.Value.1", "10G")]), vec![b.clone()]);
    assert_eq!(ids(&c, &[("Filter.1.Key", "Type"), ("Filter.1.Value.1", "VPC")]).len(), 3);
    assert_eq!(ids(&c, &[("Filter.1.Key", "Status"), ("Filter.1.Value.1", "Initial")]), sorted(vec![&a, &b]));
    for spelling in ["Allocation Failed", "AllocationFailed"] {
        assert_eq!(ids(&c, &[("Filter.1.Key", "Status"), ("Filter.1.Value.1", spelling)]), vec![d.clone()]);
    }
    assert_eq!(ids(&c, &[("Filter.1.Key", "Status")]).len(), 3, "a filter without values constrains nothing");
    assert_eq!(ids(&c, &[("Filter.1.Key", "Name"), ("Filter.1.Value.1", "gamma")]), Vec::<String>::new());
    assert_eq!(
        code(&c, "DescribePhysicalConnections", &[("Filter.1.Key", "VpcId"), ("Filter.1.Value.1", "x")]),
        "InvalidFilterKey.ValueNotSupported"
    );
    let six: Vec<(String, String)> = (1..=6).map(|n| (format!("Filter.{n}.Key"), "Name".to_string())).collect();
    let six: Vec<(&str, &str)> = six.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(code(&c, "DescribePhysicalConnections", &six), "InvalidParameter", "at most five filters");
    let values: Vec<String> = (1..=6).map(|n| format!("Filter.1.Value.{n}")).collect();
    let mut p = vec![("Filter.1.Key", "Name")];
    p.extend(values.iter().map(|k| (k.as_str(), "alpha")));
    assert_eq!(code(&c, "DescribePhysicalConnections", &p), "InvalidParameter", "at most five values");

    let page = ok(&c, "DescribePhysicalConnections", &[("PageSize", "2"), ("PageNumber", "2")]);
    assert_eq!(
        (page["TotalCount"].as_i64(), page["PageNumber"].as_i64(), page["PageSize"].as_i64()),
        (Some(3), Some(2), Some(2))
    );
    assert_eq!(page["PhysicalConnectionSet"]["PhysicalConnectionType"].as_array().map(Vec::len), Some(1));
    assert_eq!(code(&c, "DescribePhysicalConnections", &[("PageSize", "51")]), "InvalidParameter");
    assert_eq!(ok(&c, "DescribePhysicalConnections", &[("RegionId", "cn-shanghai")])["TotalCount"], 0);
}

// --- LOA -----------------------------------------------------------------------------------------

fn apply_loa(c: &Cloud, id: &str) -> Result<Map<String, Value>, ApiError> {
    call(
        c,
        "ApplyPhysicalConnectionLOA",
        &[
            ("InstanceId", id),
            ("CompanyName", "ACME"),
            ("ConstructionTime", "2019-02-28T16:00:00Z"),
            ("LineType", "FIBRE"),
            ("PeerLocation", "Hangzhou"),
            ("Si", "Cables Inc"),
            ("PMInfo.1.PMName", "Mike"),
            ("PMInfo.1.PMGender", "Male"),
            ("PMInfo.1.PMCertificateType", "IDCard"),
            ("PMInfo.1.PMCertificateNo", "3210"),
            ("PMInfo.1.PMContactInfo", "13200000000"),
            ("PMInfo.2.PMName", "Ann"),
        ],
    )
}

fn loa(c: &Cloud, id: &str) -> Map<String, Value> {
    ok(c, "DescribePhysicalConnectionLOA", &[("InstanceId", id)])["PhysicalConnectionLOAType"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

fn complete(c: &Cloud, id: &str) -> Result<Map<String, Value>, ApiError> {
    call(c, "CompletePhysicalConnectionLOA", &[("InstanceId", id), ("LineCode", "aaa111"), ("LineLabel", "bbb222")])
}

#[test]
fn the_loa_is_applied_for_approved_completed_and_confirmed() {
    let c = cloud(0);
    assert_eq!(
        apply_loa(&c, "pc-nope").map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("InvalidPhysicalConnectionId.NotFound")
    );
    let id = create(&c, &[]);
    assert_eq!(
        act_code(&c, "DescribePhysicalConnectionLOA", &id),
        "Forbidden.NotAllowedInState",
        "nothing applied for"
    );
    assert_eq!(act_code(&c, "DescribePhysicalConnectionLOA", "pc-nope"), "InvalidPhysicalConnectionId.NotFound");
    apply_loa(&c, &id).expect("applied");
    let l = loa(&c, &id);
    assert_eq!(l["Status"], "Applying");
    assert_eq!(l["InstanceId"], id.as_str());
    assert_eq!(
        (l["CompanyName"].as_str(), l["SI"].as_str(), l["LineType"].as_str()),
        (Some("ACME"), Some("Cables Inc"), Some("FIBRE"))
    );
    assert_eq!(l["ConstructionTime"], "2019-02-28T16:00:00Z");
    assert_eq!(l["LoaUrl"], "");
    let engineers = l["PMInfo"]["PMInfo"].as_array().cloned().unwrap_or_default();
    assert_eq!(engineers.len(), 2);
    assert_eq!(engineers[0]["PMName"], "Mike");
    assert_eq!(engineers[0]["PMCertificateNo"], "3210");
    assert_eq!(engineers[1]["PMContactInfo"], "");
    assert_eq!(item(&c, &id)["LoaStatus"], "Applying");
    assert_eq!(
        apply_loa(&c, &id).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("Forbidden.NotAllowedInState")
    );
    assert_eq!(
        complete(&c, &id).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("Forbidden.NotAllowedInState")
    );

    assert_eq!(step(&c, &id, "reject-loa")["loa_status"], "Rejected");
    apply_loa(&c, &id).expect("applied again");
    assert_eq!(step(&c, &id, "approve-loa")["loa_status"], "Available");
    assert!(loa(&c, &id)["LoaUrl"].as_str().is_some_and(|u| u.ends_with(".pdf") && u.contains(&id)));
    complete(&c, &id).expect("completed");
    let l = loa(&c, &id);
    assert_eq!(
        (l["Status"].as_str(), l["LineCode"].as_str(), l["LineLabel"].as_str()),
        (Some("Completing"), Some("aaa111"), Some("bbb222"))
    );
    step(&c, &id, "approve");
    step(&c, &id, "allocate");
    step(&c, &id, "confirm");
    assert_eq!(loa(&c, &id)["Status"], "Complete");
    assert_eq!(
        apply_loa(&c, &id).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("Forbidden.NotAllowedInState"),
        "built"
    );
}

#[test]
fn an_ended_application_ends_its_loa() {
    let c = cloud(0);
    let id = create(&c, &[]);
    apply_loa(&c, &id).expect("applied");
    ok(&c, "CancelPhysicalConnection", &[("PhysicalConnectionId", &id)]);
    assert_eq!(loa(&c, &id)["Status"], "Deleted");
    assert_eq!(
        apply_loa(&c, &id).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("Forbidden.NotAllowedInState")
    );
    let rejected = create(&c, &[]);
    apply_loa(&c, &rejected).expect("applied");
    step(&c, &rejected, "reject");
    assert_eq!(loa(&c, &rejected)["Status"], "Deleted");
    modify(&c, &rejected, &[("Name", "again")]).expect("back to Initial");
    apply_loa(&c, &rejected).expect("a new LOA for the new review");
}

// --- orders --------------------------------------------------------------------------------------

#[test]
fn a_setup_order_applies_for_a_connection_and_pays_its_installation() {
    let c = cloud(0);
    let before = balance(&c);
    let body = ok(
        &c,
        "CreatePhysicalConnectionSetupOrder",
        &[("AccessPointId", AP), ("LineOperator", "CT"), ("PortType", "100Base-T")],
    );
    let id = id_of(&body);
    let order = body["OrderId"].as_str().unwrap_or_default().to_string();
    assert_eq!(order.len(), 15);
    assert_eq!(balance(&c), before - 1000.0);
    let it = item(&c, &id);
    assert_eq!(
        (it["Status"].as_str(), it["PortType"].as_str(), it["Bandwidth"].as_i64()),
        (Some("Initial"), Some("100Base-T"), Some(100))
    );
    let orders = billing::state(&c, ACCOUNT)["orders"].as_array().cloned().unwrap_or_default();
    assert_eq!(orders.len(), 1);
    assert_eq!((orders[0]["order_id"].as_str(), orders[0]["status"].as_str()), (Some(order.as_str()), Some("Paid")));
    assert_eq!(orders[0]["instance_id"], id.as_str());

    let unpaid = ok(
        &c,
        "CreatePhysicalConnectionSetupOrder",
        &[("AccessPointId", AP), ("LineOperator", "CT"), ("AutoPay", "false")],
    );
    assert_eq!(balance(&c), before - 1000.0);
    let orders = billing::state(&c, ACCOUNT)["orders"].as_array().cloned().unwrap_or_default();
    assert!(orders.iter().any(|o| o["order_id"] == unpaid["OrderId"] && o["status"] == "Unpaid"));

    for (extra, expected) in [
        (("AccessPointId", "ap-nowhere"), "InvalidAccessPointId.NotEnabled"),
        (("LineOperator", "XX"), "InvalidLineOperator.Malformd"),
        (("PortType", "XX"), "InvalidPortType.Malformd"),
        (("RedundantPhysicalConnectionId", "pc-nope"), "InvalidRedundantPhysicalConnectionId.NotFound"),
        (("RedundantPhysicalConnectionId", id.as_str()), "InvalidRedundantPhysicalConnectionStatus"),
    ] {
        let mut p = vec![("AccessPointId", AP), ("LineOperator", "CT")];
        p.retain(|(k, _)| *k != extra.0);
        p.push(extra);
        assert_eq!(code(&c, "CreatePhysicalConnectionSetupOrder", &p), expected, "{extra:?}");
    }
    billing::set_state(&c, ACCOUNT, Some(999.0), None).expect("billing");
    assert_eq!(
        code(&c, "CreatePhysicalConnectionSetupOrder", &[("AccessPointId", AP), ("LineOperator", "CT")]),
        "InvalidAccountStatus.NotEnoughBalance"
    );
    assert_eq!(ok(&c, "DescribePhysicalConnections", &[])["TotalCount"], 2, "no connection without its order");
    for _ in 0..3 {
        create(&c, &[]);
    }
    assert_eq!(
        code(&c, "CreatePhysicalConnectionSetupOrder", &[("AccessPointId", AP), ("LineOperator", "CT")]),
        "QuotaExceeded.freePconnPerAP"
    );
}

fn occupancy(c: &Cloud, id: &str, extra: &[(&str, &str)]) -> Result<Map<String, Value>, ApiError> {
    let mut p = vec![("PhysicalConnectionId", id)];
    p.extend_from_slice(extra);
    call(c, "CreatePhysicalConnectionOccupancyOrder", &p)
}

#[test]
fn occupancy_orders_buy_the_port_of_a_built_connection() {
    let c = cloud(0);
    assert_eq!(
        occupancy(&c, "pc-nope", &[]).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("InvalidPhysicalConnectionId.NotFound")
    );
    let initial = create(&c, &[]);
    assert_eq!(
        occupancy(&c, &initial, &[]).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("Forbidden.NotAllowedInState")
    );
    let id = to_confirmed(&c, &[]);
    billing::set_state(&c, ACCOUNT, Some(100_000.0), None).expect("billing");
    let before = balance(&c);
    let now = c.clock.now_ms();
    let body = occupancy(&c, &id, &[("InstanceChargeType", "PrePaid"), ("Period", "2"), ("PricingCycle", "Month")])
        .expect("order");
    assert_eq!(body["Data"]["OrderId"].as_str().map(str::len), Some(15));
    assert_eq!(balance(&c), before - 2000.0, "1,000 CNY a month for a 1G port");
    let it = item(&c, &id);
    assert_eq!(it["ChargeType"], "Prepaid");
    let end = it["EndTime"].as_str().unwrap_or_default().to_string();
    let expected = acs_cloud::clock::format_time(now + 2 * MONTH_MS);
    assert!(end[..16] == expected[..16], "{end} vs {expected}");
    assert_eq!(
        occupancy(&c, &id, &[("InstanceChargeType", "PostPaid")]).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("Forbidden.NotAllowedInState"),
        "not while the subscription runs"
    );
    ok(&c, "EnablePhysicalConnection", &[("PhysicalConnectionId", &id)]);
    occupancy(&c, &id, &[("InstanceChargeType", "PrePaid"), ("Period", "1"), ("PricingCycle", "Year")])
        .expect("renewal");
    assert_eq!(balance(&c), before - 14_000.0, "twelve more months");
    let renewed = acs_cloud::clock::format_time(now + 14 * MONTH_MS);
    assert_eq!(item(&c, &id)["EndTime"].as_str().map(|t| t[..16].to_string()), Some(renewed[..16].to_string()));
    c.clock.advance_ms(15 * MONTH_MS);
    occupancy(&c, &id, &[]).expect("pay-as-you-go once the subscription has ended (the default)");
    let it = item(&c, &id);
    assert_eq!((it["ChargeType"].as_str(), it["EndTime"].as_str()), (Some("PostPaid"), Some("")));

    let ten_g = to_confirmed(&c, &[("PortType", "10GBase-LR")]);
    let before = balance(&c);
    assert_eq!(
        occupancy(&c, &ten_g, &[("InstanceChargeType", "PrePaid"), ("Period", "12"), ("PricingCycle", "Year")])
            .map_err(|e| e.code.into_owned())
            .err()
            .as_deref(),
        Some("InvalidAccountStatus.NotEnoughBalance")
    );
    assert_eq!(balance(&c), before);
    assert_eq!(item(&c, &ten_g)["ChargeType"], "PostPaid", "nothing changed");
    let unpaid =
        occupancy(&c, &ten_g, &[("InstanceChargeType", "PrePaid"), ("AutoPay", "false")]).expect("unpaid order");
    assert_eq!(balance(&c), before);
    assert_eq!(item(&c, &ten_g)["ChargeType"], "PostPaid", "an unpaid order holds the subscription");
    let order = unpaid["Data"]["OrderId"].as_str().unwrap_or_default().to_string();
    billing::set_state(&c, ACCOUNT, Some(10_000.0), None).expect("billing");
    billing::pay_order(&c, ACCOUNT, &order).expect("pay");
    assert_eq!(item(&c, &ten_g)["ChargeType"], "Prepaid", "paying applies it");
    assert_eq!(balance(&c), 5_000.0, "one month of a 10G port");
    assert_eq!(
        occupancy(&c, &ten_g, &[("PricingCycle", "Week")]).map_err(|e| e.code.into_owned()).err().as_deref(),
        Some("InvalidParameter")
    );
}
