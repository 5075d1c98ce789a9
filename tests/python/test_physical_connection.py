"""Physical connections (Express Connect, VPC reference chapter 14) through the old core SDK's
request classes and the Tea client: the application lifecycle (the provider's steps through
POST /_emulator/physical-connections/{id}/{step}), the status rule of every action with its
documented error (HTTP status, code and message), LOAs and orders
(docs/express_connect/physical_connection.md)."""

import pytest
import requests

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import assert_error
from pc_helpers import (AP, AP_B, VpcTeaApi, client_token, create_pc, describe, pc_item, provider, step,
                        to_confirmed, to_enabled)

NOT_FOUND = (404, "InvalidPhysicalConnectionId.NotFound",
             "The PhysicalConnectionId provided does not exist in our records.")
NOT_IN_STATE = (400, "Forbidden.NotAllowedInState", "The request does not allow in this state.")
NOT_MATCHED = (400, "InvalidPhysicalConnectionId.NotMatched", "instance id not matched.")
AP_NOT_ENABLED = (400, "InvalidAccessPointId.NotEnabled", "Invalid access point status.")
BAD_TYPE = (400, "InvalidType.Malformd", "The Type provided was invalid.")
BAD_PEER = (400, "InvalidPeerLocation.Malformd", "The PeerLocation provided was invalid.")
BAD_OPERATOR = (400, "InvalidLineOperator.Malformd", "The LineOperator provided was invalid.")
BAD_PORT = (400, "InvalidPortType.Malformd", "The PortType provided was invalid.")
BAD_DESCRIPTION_CREATE = (400, "InvalidDescription.Malformed", "The specifid ? Description? is not valid.")
BAD_DESCRIPTION_MODIFY = (400, "InvalidDescription.Malformed", "The specifid ?Description? is not valid.")
BAD_NAME_CREATE = (400, "InvalidName.Malformed", "The specified ? Name? is not valid.")
BAD_NAME_MODIFY = (400, "InvalidName.Malformed", "The specified ?Name? is not valid.")
REDUNDANT_NOT_FOUND = (404, "InvalidRedundantPhysicalConnectionId.NotFound",
                       "The RedundantPhysicalConnectionId does not found.")
REDUNDANT_NOT_MINE = (400, "InvalidRedundantPhysicalConnection",
                      "redundant physical connection doesn't belong to current user.")
REDUNDANT_STATUS = (400, "InvalidRedundantPhysicalConnectionStatus", "invalid redundant physical connection status.")
PER_AP = (400, "QuotaExceeded.pConnPerAP", "Physical connection count per ap quota exceed.")
FREE_PER_AP = (400, "QuotaExceeded.freePconnPerAP", "free physical connections count excceeded.")
BAD_BANDWIDTH = (400, "InvalidBandwidth", "invalid physical connection banwidth.")
BAD_CIRCUIT = (400, "InvalidCircuitCode.Malformed", "circuitCode is illegal.")
BAD_STATUS = (400, "InvalidStatus", "invalid physical connection status.")
FILTER_KEY = (404, "InvalidFilterKey.ValueNotSupported", "Specified filter key is not supported: Filter.X.key")
BILLS = (400, "Forbidden.BillsOutstanding", "You cannot use this action because you have bills outstanding.")
NO_BALANCE = (403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.")

ITEM_FIELDS = {
    "Type", "PhysicalConnectionId", "PeerLocation", "CreationTime", "Name", "Status", "AdLocation", "EnabledTime",
    "BusinessStatus", "LineOperator", "PortNumber", "AccessPointId", "PortType", "Bandwidth", "ChargeType",
    "Description", "EndTime", "HasReservationData", "RedundantPhysicalConnectionId", "ReservationActiveTime",
    "ReservationInternetChargeType", "ReservationOrderType", "Spec", "CircuitCode", "LoaStatus",
}


@pytest.fixture(scope="session")
def tea_api(tea):
    return VpcTeaApi(tea)


@pytest.fixture(params=["old", "tea"])
def api(request, old, tea_api):
    """Either SDK flavour, called the same way."""
    return old if request.param == "old" else tea_api


def status_of(api, pc_id):
    return pc_item(api, pc_id)["Status"]


# --- the lifecycle -------------------------------------------------------------------------------


def test_an_application_from_initial_to_terminated(api, emulator):
    pc_id = create_pc(api, Name="line-1", Description="The first line", CircuitCode="longtel001",
                      PortType="100Base-T", bandwidth=50)
    assert pc_id.startswith("pc-")
    item = pc_item(api, pc_id)
    assert set(item) == ITEM_FIELDS
    assert item["Status"] == "Initial"
    assert (item["AccessPointId"], item["LineOperator"], item["PeerLocation"]) == (AP, "CT", "Hangzhou, Building 5")
    assert (item["PortType"], item["Bandwidth"], item["Spec"], item["Type"]) == ("100Base-T", 50, "100M", "VPC")
    assert (item["Name"], item["Description"], item["CircuitCode"]) == ("line-1", "The first line", "longtel001")
    assert (item["BusinessStatus"], item["ChargeType"], item["HasReservationData"]) == ("Normal", "PostPaid", "false")
    assert item["CreationTime"].endswith("Z") and item["EnabledTime"] == "" and item["EndTime"] == ""
    assert item["PortNumber"] == "" and item["AdLocation"] == "" and item["LoaStatus"] == ""

    assert step(emulator, pc_id, "approve") == {
        "physical_connection_id": pc_id, "region_id": "cn-hangzhou", "status": "Approved", "loa_status": ""}
    assert step(emulator, pc_id, "allocate")["status"] == "Allocated"
    item = pc_item(api, pc_id)
    assert item["Status"] == "Allocated" and item["PortNumber"].startswith("1/")
    assert item["AdLocation"] == "Yuhang, China (Hangzhou)"
    assert step(emulator, pc_id, "confirm")["status"] == "Confirmed"
    assert api.EnablePhysicalConnection(PhysicalConnectionId=pc_id)["RequestId"]
    item = pc_item(api, pc_id)
    assert item["Status"] == "Enabled" and item["EnabledTime"].endswith("Z")
    assert api.TerminatePhysicalConnection(PhysicalConnectionId=pc_id)["RequestId"]
    assert status_of(api, pc_id) == "Terminated"
    assert api.DeletePhysicalConnection(PhysicalConnectionId=pc_id)["RequestId"]
    assert describe(api) == []


def test_allocating_and_terminating_last_the_transition_delay(old_delayed, delayed):
    old = old_delayed
    pc_id = create_pc(old)
    step(delayed, pc_id, "approve")
    assert step(delayed, pc_id, "allocate")["status"] == "Allocating"
    assert status_of(old, pc_id) == "Allocating"
    assert_error(lambda: old.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=pc_id, Name="busy"), *BAD_STATUS)
    assert provider(delayed, pc_id, "confirm").status_code == 409
    delayed.advance(DELAY)
    assert status_of(old, pc_id) == "Allocated"
    step(delayed, pc_id, "confirm")
    old.EnablePhysicalConnection(PhysicalConnectionId=pc_id)
    old.TerminatePhysicalConnection(PhysicalConnectionId=pc_id)
    assert status_of(old, pc_id) == "Terminating"
    assert_error(lambda: old.DeletePhysicalConnection(PhysicalConnectionId=pc_id), *NOT_IN_STATE)
    assert_error(lambda: old.TerminatePhysicalConnection(PhysicalConnectionId=pc_id), *NOT_IN_STATE)
    delayed.advance(DELAY - 1)
    assert status_of(old, pc_id) == "Terminating"
    delayed.advance(1)
    assert status_of(old, pc_id) == "Terminated"
    old.DeletePhysicalConnection(PhysicalConnectionId=pc_id)


def test_allocation_fails_while_allocating(old_delayed, delayed):
    pc_id = create_pc(old_delayed)
    step(delayed, pc_id, "approve")
    step(delayed, pc_id, "allocate")
    assert step(delayed, pc_id, "fail-allocation")["status"] == "Allocation Failed"
    assert status_of(old_delayed, pc_id) == "Allocation Failed"
    old_delayed.DeletePhysicalConnection(PhysicalConnectionId=pc_id)


# --- the control endpoints -----------------------------------------------------------------------


def test_provider_steps_answer_404_and_409(old, emulator):
    pc_id = create_pc(old)
    r = provider(emulator, "pc-doesnotexist", "approve")
    assert r.status_code == 404 and r.json()["status"] == "error"
    r = provider(emulator, pc_id, "bless")
    assert r.status_code == 404 and "approve" in r.json()["message"]
    assert provider(emulator, pc_id, "approve", account_id="999999").status_code == 404, "another account's"
    for name in ["allocate", "fail-allocation", "confirm", "approve-loa", "reject-loa"]:
        r = provider(emulator, pc_id, name)
        assert r.status_code == 409, name
        assert r.json()["status"] == "error" and "Initial" in r.json()["message"]
    r = requests.get(f"{emulator.url}/_emulator/physical-connections/{pc_id}/approve", timeout=5)
    assert r.status_code == 405
    account = emulator.billing()["account_id"]
    r = provider(emulator, pc_id, "approve", account_id=account)
    assert r.status_code == 200 and r.json()["status"] == "Approved", "the caller's account, named"


def test_reject_ends_the_review(old, emulator):
    pc_id = create_pc(old)
    assert step(emulator, pc_id, "reject")["status"] == "Rejected"
    assert provider(emulator, pc_id, "approve").status_code == 409
    # Modifying a rejected application submits it again.
    old.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=pc_id, bandwidth=500)
    item = pc_item(old, pc_id)
    assert (item["Status"], item["Bandwidth"]) == ("Initial", 500)
    assert step(emulator, pc_id, "approve")["status"] == "Approved"


# --- CreatePhysicalConnection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, error",
    [
        (dict(AccessPointId="ap-cn-hangzhou-zz-A"), AP_NOT_ENABLED),
        (dict(AccessPointId="ap-cn-beijing-ft-A"), AP_NOT_ENABLED),
        (dict(Type="CEN"), BAD_TYPE),
        (dict(PeerLocation="x" * 257), BAD_PEER),
        (dict(LineOperator="XX"), BAD_OPERATOR),
        (dict(PortType="40GBase-LR"), BAD_PORT),
        (dict(Description="http://line"), BAD_DESCRIPTION_CREATE),
        (dict(Description="x"), BAD_DESCRIPTION_CREATE),
        (dict(Name="1line"), BAD_NAME_CREATE),
        (dict(bandwidth=4), BAD_BANDWIDTH),
        (dict(bandwidth=5001), BAD_BANDWIDTH),
        (dict(PortType="100Base-T", bandwidth=200), BAD_BANDWIDTH),
        (dict(CircuitCode="c" * 65), BAD_CIRCUIT),
        (dict(RedundantPhysicalConnectionId="pc-doesnotexist"), REDUNDANT_NOT_FOUND),
    ],
)
def test_create_rejects_bad_parameters(api, params, error):
    assert_error(lambda: create_pc(api, **params), *error)
    assert describe(api) == []


def test_create_requires_a_client_token(old):
    assert_error(lambda: old.CreatePhysicalConnection(AccessPointId=AP, LineOperator="CT", PeerLocation="x"),
                 400, "MissingClientToken", "ClientToken is mandatory for this action.")


def test_the_same_client_token_creates_one_connection(api):
    token = client_token()
    first = create_pc(api, ClientToken=token)
    assert create_pc(api, ClientToken=token) == first
    assert len(describe(api)) == 1


def test_a_redundant_connection_must_be_allocated_confirmed_or_enabled(api, emulator):
    other = create_pc(api)
    assert_error(lambda: create_pc(api, RedundantPhysicalConnectionId=other), *REDUNDANT_STATUS)
    step(emulator, other, "approve")
    assert_error(lambda: create_pc(api, RedundantPhysicalConnectionId=other), *REDUNDANT_STATUS)
    step(emulator, other, "allocate")
    pc_id = create_pc(api, RedundantPhysicalConnectionId=other)
    assert pc_item(api, pc_id)["RedundantPhysicalConnectionId"] == other


def test_at_most_five_applications_are_open(old, emulator):
    ids = [create_pc(old) for _ in range(5)]
    assert_error(lambda: create_pc(old), *FREE_PER_AP)
    assert_error(lambda: create_pc(old, AccessPointId=AP_B), *FREE_PER_AP)
    old.CancelPhysicalConnection(PhysicalConnectionId=ids[0])
    create_pc(old)
    assert_error(lambda: create_pc(old), *FREE_PER_AP)
    step(emulator, ids[1], "approve")
    step(emulator, ids[1], "allocate")
    step(emulator, ids[1], "confirm")
    old.EnablePhysicalConnection(PhysicalConnectionId=ids[1])
    create_pc(old)


def test_an_access_point_takes_ten_connections(old, emulator):
    for _ in range(10):
        to_enabled(old, emulator)
    assert_error(lambda: create_pc(old), *PER_AP)
    assert_error(lambda: old.CreatePhysicalConnectionSetupOrder(AccessPointId=AP, LineOperator="CT"), *PER_AP)
    create_pc(old, AccessPointId=AP_B)


def test_no_application_while_the_account_is_overdue(api, emulator):
    enabled = to_enabled(api, emulator)
    emulator.set_billing(overdue=True)
    try:
        assert_error(lambda: create_pc(api), *BILLS)
        assert_error(lambda: api.CreatePhysicalConnectionSetupOrder(AccessPointId=AP, LineOperator="CT"), *BILLS)
        assert pc_item(api, enabled)["BusinessStatus"] == "FinancialLocked"
    finally:
        emulator.set_billing(overdue=False)
    assert pc_item(api, enabled)["BusinessStatus"] == "Normal"
    create_pc(api)


# --- Cancel / Enable / Terminate / Delete --------------------------------------------------------


def test_cancel_before_enabling(api, emulator):
    assert_error(lambda: api.CancelPhysicalConnection(PhysicalConnectionId="pc-doesnotexist"), *NOT_FOUND)
    pc_id = to_confirmed(api, emulator)
    api.CancelPhysicalConnection(PhysicalConnectionId=pc_id)
    assert status_of(api, pc_id) == "Canceled"
    assert_error(lambda: api.CancelPhysicalConnection(PhysicalConnectionId=pc_id), *NOT_IN_STATE)
    enabled = to_enabled(api, emulator)
    assert_error(lambda: api.CancelPhysicalConnection(PhysicalConnectionId=enabled), *NOT_IN_STATE)


def test_enable_only_confirmed(api, emulator):
    assert_error(lambda: api.EnablePhysicalConnection(PhysicalConnectionId="pc-doesnotexist"), *NOT_FOUND)
    pc_id = create_pc(api)
    for name in ["approve", "allocate", "confirm"]:
        assert_error(lambda: api.EnablePhysicalConnection(PhysicalConnectionId=pc_id), *NOT_IN_STATE)
        step(emulator, pc_id, name)
    api.EnablePhysicalConnection(PhysicalConnectionId=pc_id)
    assert_error(lambda: api.EnablePhysicalConnection(PhysicalConnectionId=pc_id), *NOT_IN_STATE)


def test_terminate_only_enabled(api, emulator):
    assert_error(lambda: api.TerminatePhysicalConnection(PhysicalConnectionId="pc-doesnotexist"), *NOT_FOUND)
    confirmed = to_confirmed(api, emulator)
    assert_error(lambda: api.TerminatePhysicalConnection(PhysicalConnectionId=confirmed), *NOT_IN_STATE)


def test_delete_only_ended_connections_of_the_region(api, emulator):
    assert_error(lambda: api.DeletePhysicalConnection(PhysicalConnectionId="pc-doesnotexist"), *NOT_FOUND)
    initial = create_pc(api)
    enabled = to_enabled(api, emulator)
    for pc_id in (initial, enabled):
        assert_error(lambda: api.DeletePhysicalConnection(PhysicalConnectionId=pc_id), *NOT_IN_STATE)
    shanghai = create_pc(api, RegionId="cn-shanghai", AccessPointId="ap-cn-shanghai-nh-A")
    assert_error(lambda: api.DeletePhysicalConnection(PhysicalConnectionId=shanghai), *NOT_MATCHED)
    rejected = create_pc(api)
    step(emulator, rejected, "reject")
    failed = create_pc(api)
    step(emulator, failed, "approve")
    step(emulator, failed, "fail-allocation")
    api.CancelPhysicalConnection(PhysicalConnectionId=initial)
    api.TerminatePhysicalConnection(PhysicalConnectionId=enabled)
    for pc_id in (rejected, failed, initial, enabled):
        api.DeletePhysicalConnection(PhysicalConnectionId=pc_id)
    assert describe(api) == []
    api.CancelPhysicalConnection(PhysicalConnectionId=shanghai, RegionId="cn-shanghai")
    api.DeletePhysicalConnection(PhysicalConnectionId=shanghai, RegionId="cn-shanghai")


# --- ModifyPhysicalConnectionAttribute -----------------------------------------------------------


def test_modify_changes_the_attributes(api):
    pc_id = create_pc(api)
    api.ModifyPhysicalConnectionAttribute(
        PhysicalConnectionId=pc_id, Name="renamed", Description="Moved to room 2", CircuitCode="c-2",
        PeerLocation="Hangzhou, Building 6", LineOperator="CU", PortType="10GBase-LR", bandwidth=8000)
    item = pc_item(api, pc_id)
    assert (item["Name"], item["Description"], item["CircuitCode"]) == ("renamed", "Moved to room 2", "c-2")
    assert (item["PeerLocation"], item["LineOperator"]) == ("Hangzhou, Building 6", "CU")
    assert (item["PortType"], item["Bandwidth"], item["Spec"]) == ("10GBase-LR", 8000, "10G")
    api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=pc_id, PortType="1000Base-LX")
    assert pc_item(api, pc_id)["Bandwidth"] == 1000, "capped by the smaller port"


@pytest.mark.parametrize(
    "params, error",
    [
        (dict(PeerLocation="x" * 257), BAD_PEER),
        (dict(PortType="E1-2M"), BAD_PORT),
        (dict(Description="https://x"), BAD_DESCRIPTION_MODIFY),
        (dict(Name="-x"), BAD_NAME_MODIFY),
        (dict(bandwidth=1), BAD_BANDWIDTH),
        (dict(bandwidth=10241), BAD_BANDWIDTH),
        (dict(bandwidth=2000), BAD_BANDWIDTH),
        (dict(RedundantPhysicalConnectionId="pc-doesnotexist"), REDUNDANT_NOT_MINE),
        (dict(CircuitCode="c" * 65), BAD_CIRCUIT),
        (dict(LineOperator="ZZ"), BAD_OPERATOR),
    ],
)
def test_modify_rejects_bad_parameters(api, params, error):
    pc_id = create_pc(api)
    assert_error(lambda: api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=pc_id, **params), *error)


def test_modify_follows_the_status_rules(api, emulator):
    assert_error(lambda: api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId="pc-doesnotexist", Name="ab"),
                 *NOT_FOUND)
    enabled = to_enabled(api, emulator)
    api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=enabled, Name="in-service")
    assert pc_item(api, enabled)["Name"] == "in-service"
    for params in (dict(bandwidth=500), dict(PortType="100Base-T"), dict(RedundantPhysicalConnectionId=enabled)):
        assert_error(lambda: api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=enabled, **params),
                     *BAD_STATUS)
    pc_id = create_pc(api)
    assert_error(lambda: api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=pc_id,
                                                               RedundantPhysicalConnectionId=pc_id), *REDUNDANT_STATUS)
    api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=pc_id, RedundantPhysicalConnectionId=enabled)
    api.CancelPhysicalConnection(PhysicalConnectionId=pc_id)
    assert_error(lambda: api.ModifyPhysicalConnectionAttribute(PhysicalConnectionId=pc_id, Name="cancelled"),
                 *BAD_STATUS)


# --- DescribePhysicalConnections -----------------------------------------------------------------


def ids(api, *filters, **params):
    items = describe(api, Filters=[dict(Key=k, Value=v) for k, v in filters], **params)
    return sorted(i["PhysicalConnectionId"] for i in items)


def test_describe_filters_and_pages(api, emulator):
    a = create_pc(api, Name="alpha")
    b = create_pc(api, Name="beta", LineOperator="CU", AccessPointId=AP_B, PortType="10GBase-T")
    d = create_pc(api, Name="delta", LineOperator="CM")
    step(emulator, d, "approve")
    step(emulator, d, "fail-allocation")
    assert ids(api) == sorted([a, b, d])
    assert ids(api, ("Name", ["alpha", "beta"])) == sorted([a, b]), "values are OR-ed"
    assert ids(api, ("Name", ["alpha", "beta"]), ("LineOperator", ["CU"])) == [b], "filters are AND-ed"
    assert ids(api, ("AccessPointId", [AP_B])) == [b]
    assert ids(api, ("Spec", ["10G"])) == [b]
    assert ids(api, ("Type", ["VPC"])) == sorted([a, b, d])
    assert ids(api, ("Status", ["Initial"])) == sorted([a, b])
    assert ids(api, ("Status", ["Allocation Failed"])) == [d]
    assert ids(api, ("Status", ["AllocationFailed"])) == [d]
    assert ids(api, ("PhysicalConnectionId", [a, d])) == sorted([a, d])
    assert ids(api, ("Name", ["gamma"])) == []
    assert_error(lambda: ids(api, ("VpcId", ["vpc-1"])), *FILTER_KEY)

    body = api.DescribePhysicalConnections(PageSize=2, PageNumber=2)
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (3, 2, 2)
    assert len(body["PhysicalConnectionSet"]["PhysicalConnectionType"]) == 1
    body = api.DescribePhysicalConnections()
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (3, 1, 10)
    assert api.DescribePhysicalConnections(RegionId="cn-shanghai")["TotalCount"] == 0


# --- LOA -----------------------------------------------------------------------------------------

LOA = dict(CompanyName="ACME", ConstructionTime="2019-02-28T16:00:00Z", LineType="FIBRE", PeerLocation="Hangzhou",
           Si="Cables Inc",
           PMInfos=[dict(PMName="Mike", PMGender="Male", PMCertificateType="IDCard", PMCertificateNo="3210",
                         PMContactInfo="13200000000")])


def loa(api, pc_id):
    return api.DescribePhysicalConnectionLOA(InstanceId=pc_id)["PhysicalConnectionLOAType"]


def test_the_loa_flow(api, emulator):
    pc_id = create_pc(api)
    assert_error(lambda: loa(api, pc_id), *NOT_IN_STATE)
    assert api.ApplyPhysicalConnectionLOA(InstanceId=pc_id, **LOA)["RequestId"]
    got = loa(api, pc_id)
    assert got == {
        "CompanyLocalizedName": "ACME", "CompanyName": "ACME", "ConstructionTime": "2019-02-28T16:00:00Z",
        "InstanceId": pc_id, "LineCode": "", "LineLabel": "", "LineType": "FIBRE", "LoaUrl": "",
        "PMInfo": {"PMInfo": [dict(PMName="Mike", PMGender="Male", PMCertificateType="IDCard",
                                   PMCertificateNo="3210", PMContactInfo="13200000000")]},
        "SI": "Cables Inc", "Status": "Applying",
    }
    assert pc_item(api, pc_id)["LoaStatus"] == "Applying"
    assert_error(lambda: api.ApplyPhysicalConnectionLOA(InstanceId=pc_id, **LOA), *NOT_IN_STATE)
    assert_error(lambda: api.CompletePhysicalConnectionLOA(InstanceId=pc_id, LineCode="a", LineLabel="b"),
                 *NOT_IN_STATE)
    assert step(emulator, pc_id, "reject-loa")["loa_status"] == "Rejected"
    api.ApplyPhysicalConnectionLOA(InstanceId=pc_id, **LOA)
    assert step(emulator, pc_id, "approve-loa")["loa_status"] == "Available"
    url = loa(api, pc_id)["LoaUrl"]
    assert url.startswith("http") and pc_id in url and url.endswith(".pdf")
    assert api.CompletePhysicalConnectionLOA(InstanceId=pc_id, LineCode="aaa111", LineLabel="bbb222")["RequestId"]
    got = loa(api, pc_id)
    assert (got["Status"], got["LineCode"], got["LineLabel"]) == ("Completing", "aaa111", "bbb222")
    step(emulator, pc_id, "approve")
    step(emulator, pc_id, "allocate")
    assert step(emulator, pc_id, "confirm")["loa_status"] == "Complete"
    assert loa(api, pc_id)["Status"] == "Complete"


def test_loa_errors(api):
    for call in (lambda: api.ApplyPhysicalConnectionLOA(InstanceId="pc-doesnotexist", **LOA),
                 lambda: api.CompletePhysicalConnectionLOA(InstanceId="pc-doesnotexist", LineCode="a", LineLabel="b"),
                 lambda: loa(api, "pc-doesnotexist")):
        assert_error(call, *NOT_FOUND)
    pc_id = create_pc(api)
    api.ApplyPhysicalConnectionLOA(InstanceId=pc_id, **LOA)
    api.CancelPhysicalConnection(PhysicalConnectionId=pc_id)
    assert loa(api, pc_id)["Status"] == "Deleted"
    assert_error(lambda: api.ApplyPhysicalConnectionLOA(InstanceId=pc_id, **LOA), *NOT_IN_STATE)


# --- orders --------------------------------------------------------------------------------------


def test_a_setup_order_creates_the_connection_and_pays_its_installation(api, emulator):
    before = emulator.balance()
    body = api.CreatePhysicalConnectionSetupOrder(AccessPointId=AP, LineOperator="CT", PortType="100Base-T")
    assert set(body) == {"RequestId", "OrderId", "PhysicalConnectionId"}
    order = emulator.order(body["OrderId"])
    assert (order["status"], order["amount"], order["instance_id"]) == ("Paid", 1000, body["PhysicalConnectionId"])
    assert order["action"] == "CreatePhysicalConnectionSetupOrder"
    assert emulator.balance() == before - 1000
    item = pc_item(api, body["PhysicalConnectionId"])
    assert (item["Status"], item["PortType"], item["Bandwidth"]) == ("Initial", "100Base-T", 100)
    assert_error(lambda: api.CreatePhysicalConnectionSetupOrder(
        AccessPointId=AP, LineOperator="CT", RedundantPhysicalConnectionId=body["PhysicalConnectionId"]),
        *REDUNDANT_STATUS)

    unpaid = api.CreatePhysicalConnectionSetupOrder(AccessPointId=AP, LineOperator="CT", AutoPay=False)
    assert emulator.order(unpaid["OrderId"])["status"] == "Unpaid"
    assert emulator.balance() == before - 1000
    assert emulator.pay_order(unpaid["OrderId"]).status_code == 200
    assert emulator.balance() == before - 2000


@pytest.mark.parametrize(
    "params, error",
    [
        (dict(AccessPointId="ap-nowhere"), AP_NOT_ENABLED),
        (dict(LineOperator="XX"), BAD_OPERATOR),
        (dict(PortType="XX"), BAD_PORT),
        (dict(RedundantPhysicalConnectionId="pc-doesnotexist"), REDUNDANT_NOT_FOUND),
    ],
)
def test_setup_order_errors(api, params, error):
    base = dict(AccessPointId=AP, LineOperator="CT")
    base.update(params)
    assert_error(lambda: api.CreatePhysicalConnectionSetupOrder(**base), *error)
    assert describe(api) == []


def test_a_setup_order_the_balance_cannot_pay(old, emulator):
    emulator.set_billing(balance=999)
    assert_error(lambda: old.CreatePhysicalConnectionSetupOrder(AccessPointId=AP, LineOperator="CT"), *NO_BALANCE)
    assert describe(old) == [] and emulator.billing()["orders"] == []
    for _ in range(5):
        create_pc(old)
    emulator.set_billing(balance=10000)
    assert_error(lambda: old.CreatePhysicalConnectionSetupOrder(AccessPointId=AP, LineOperator="CT"), *FREE_PER_AP)


def test_occupancy_orders(api, emulator):
    assert_error(lambda: api.CreatePhysicalConnectionOccupancyOrder(PhysicalConnectionId="pc-doesnotexist"),
                 *NOT_FOUND)
    initial = create_pc(api)
    assert_error(lambda: api.CreatePhysicalConnectionOccupancyOrder(PhysicalConnectionId=initial), *NOT_IN_STATE)
    pc_id = to_confirmed(api, emulator)
    before = emulator.balance()
    body = api.CreatePhysicalConnectionOccupancyOrder(PhysicalConnectionId=pc_id, InstanceChargeType="PrePaid",
                                                      Period=2, PricingCycle="Month")
    assert set(body) == {"RequestId", "Data"} and set(body["Data"]) == {"OrderId"}
    order = emulator.order(body["Data"]["OrderId"])
    assert (order["status"], order["amount"]) == ("Paid", 2000)
    assert emulator.balance() == before - 2000
    item = pc_item(api, pc_id)
    assert item["ChargeType"] == "Prepaid" and item["EndTime"].endswith("Z")
    assert_error(lambda: api.CreatePhysicalConnectionOccupancyOrder(PhysicalConnectionId=pc_id,
                                                                    InstanceChargeType="PostPaid"), *NOT_IN_STATE)
    api.EnablePhysicalConnection(PhysicalConnectionId=pc_id)
    # A 10G port for twelve years costs 720,000 CNY.
    ten_g = to_confirmed(api, emulator, PortType="10GBase-LR")
    assert_error(lambda: api.CreatePhysicalConnectionOccupancyOrder(
        PhysicalConnectionId=ten_g, InstanceChargeType="PrePaid", Period=12, PricingCycle="Year"), *NO_BALANCE)
    assert pc_item(api, ten_g)["ChargeType"] == "PostPaid"
    body = api.CreatePhysicalConnectionOccupancyOrder(PhysicalConnectionId=ten_g)
    assert emulator.order(body["Data"]["OrderId"])["amount"] == 0, "pay-as-you-go: nothing up front"

