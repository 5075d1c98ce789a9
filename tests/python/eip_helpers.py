"""Shared by the EIP and Internet Shared Bandwidth end-to-end tests."""

import pytest

from pc_helpers import VpcTeaApi


@pytest.fixture(params=["old", "tea"])
def api(request, old, tea):
    """The VPC calls through the old core request classes or the Tea client (V3)."""
    return old if request.param == "old" else VpcTeaApi(tea)


def is_tea(api):
    return isinstance(api, VpcTeaApi)


def allocate(api, **params):
    """AllocateEipAddress; returns the new AllocationId."""
    return api.AllocateEipAddress(**params)["AllocationId"]


def eips(api, **params):
    return api.DescribeEipAddresses(**params)["EipAddresses"]["EipAddress"]


def eip(api, allocation_id):
    [item] = eips(api, AllocationId=allocation_id)
    return item


def filter_params(api, key, value):
    """One Filter.1 pair in each SDK's shape (old core setters, Tea list)."""
    if is_tea(api):
        return {"Filter": [{"Key": key, "Value": value}]}
    return {"Filter1Key": key, "Filter1Value": value}


def generic_call(api, action, **params):
    """An action the SDKs no longer generate a class for (AssociateGlobalAccelerationInstance): the
    old core's CommonRequest, or the Tea client's generic call_api (V3)."""
    params.setdefault("RegionId", "cn-hangzhou")
    if is_tea(api):
        from alibabacloud_tea_openapi.utils_models import OpenApiRequest, Params
        from darabonba.runtime import RuntimeOptions
        spec = Params(action=action, version="2016-04-28", protocol="HTTP", pathname="/", method="POST",
                      auth_type="AK", style="RPC", req_body_type="formData", body_type="json")
        query = {k: str(v) for k, v in params.items()}
        return api.client.call_api(spec, OpenApiRequest(query=query), RuntimeOptions())["body"]
    import json
    from helpers import common_request
    request = common_request(api.endpoint, action, **params)
    return json.loads(api.client.do_action_with_exception(request))
