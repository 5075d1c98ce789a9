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
