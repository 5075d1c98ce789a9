"""Helpers of the physical connection tests (Express Connect, VPC reference chapter 14): the Tea
client called with wire names, the provider's steps through the emulator's control endpoints, and
shortcuts through the lifecycle."""

import itertools
import re

import requests
from alibabacloud_vpc20160428 import models as vpc_models

from helpers import TeaApi

AP = "ap-cn-hangzhou-yh-A"
AP_B = "ap-cn-hangzhou-xs-A"

_tokens = itertools.count(1)


def client_token():
    """A fresh ClientToken (CreatePhysicalConnection requires one)."""
    return f"pc-test-{next(_tokens)}"


class VpcTeaApi(TeaApi):
    """TeaApi for the VPC models, called like OldApi: action names ending in LOA map to ``..._loa``
    methods, and the old core setters' list names (Filters=, PMInfos=) to the wire names."""

    RENAMED = {"Filters": "Filter", "PMInfos": "PMInfo"}

    def __init__(self, client):
        super().__init__(client, vpc_models)

    def call(self, action, **params):
        params = {self.RENAMED.get(k, k): v for k, v in params.items()}
        request = getattr(self.models, f"{action}Request")()
        if "RegionId" not in params:
            params["RegionId"] = "cn-hangzhou"
        request.from_map(params)
        method = getattr(self.client, re.sub(r"(?<=[a-z])(?=[A-Z])", "_", action).lower())
        return method(request).body.to_map()


def create_pc(api, **params):
    """CreatePhysicalConnection at AP with the required parameters; returns the new id."""
    base = dict(AccessPointId=AP, LineOperator="CT", PeerLocation="Hangzhou, Building 5", ClientToken=client_token())
    base.update(params)
    return api.CreatePhysicalConnection(**base)["PhysicalConnectionId"]


def provider(emulator, pc_id, step, account_id=None):
    """POST /_emulator/physical-connections/{id}/{step}; returns the response."""
    params = {"account_id": account_id} if account_id else None
    return requests.post(f"{emulator.url}/_emulator/physical-connections/{pc_id}/{step}", params=params, timeout=5)


def step(emulator, pc_id, name):
    """A provider step that must succeed; returns its JSON answer."""
    r = provider(emulator, pc_id, name)
    assert r.status_code == 200, r.text
    return r.json()


def describe(api, **params):
    return api.DescribePhysicalConnections(**params)["PhysicalConnectionSet"]["PhysicalConnectionType"]


def pc_item(api, pc_id):
    """The DescribePhysicalConnections item of one connection."""
    [item] = describe(api, Filters=[dict(Key="PhysicalConnectionId", Value=[pc_id])])
    return item


def to_confirmed(api, emulator, settle=None, **params):
    """A connection through approve, allocate (``settle`` then ends Allocating) and confirm."""
    pc_id = create_pc(api, **params)
    step(emulator, pc_id, "approve")
    step(emulator, pc_id, "allocate")
    if settle:
        settle()
    step(emulator, pc_id, "confirm")
    return pc_id


def to_enabled(api, emulator, settle=None, **params):
    pc_id = to_confirmed(api, emulator, settle, **params)
    api.EnablePhysicalConnection(PhysicalConnectionId=pc_id)
    return pc_id
