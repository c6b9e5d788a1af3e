"""The raw SOAP path: paging with continuation tokens, faults, missingSet (recorded responses)."""

from __future__ import annotations

import pytest

from vmdoctor.sources.vsphere.errors import VimFault
from vmdoctor.sources.vsphere.inventory import missing_gaps
from vmdoctor.sources.vsphere.readonly import ReadOnlyViolation
from vmdoctor.sources.vsphere.soap import RawPoster, retrieve_pages

ENV = (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>{}</soapenv:Body></soapenv:Envelope>'
)


def page(method: str, names: list[str], token: str | None) -> bytes:
    objects = "".join(
        f'<objects><obj type="VirtualMachine">vm-{n}</obj><propSet><name>name</name>'
        f'<val xsi:type="xsd:string">{n}</val></propSet></objects>'
        for n in names
    )
    tok = f"<token>{token}</token>" if token else ""
    return ENV.format(
        f'<{method}Response xmlns="urn:vim25"><returnval>{tok}{objects}</returnval>'
        f"</{method}Response>"
    ).encode()


def test_paging_follows_tokens_until_the_last_page() -> None:
    answers = [
        page("RetrievePropertiesEx", ["a", "b"], "t1"),
        page("ContinueRetrievePropertiesEx", ["c"], "t2"),
        page("ContinueRetrievePropertiesEx", ["d"], None),
    ]
    sent: list[tuple[str, bytes]] = []

    def post(method: str, body: bytes) -> bytes:
        sent.append((method, body))
        return answers[len(sent) - 1]

    pages = list(
        retrieve_pages(post, "propertyCollector", "session[1]", "VirtualMachine", ["name"], 2)
    )
    assert [[o.moref for o in p] for p in pages] == [["vm-a", "vm-b"], ["vm-c"], ["vm-d"]]
    assert [m for m, _ in sent] == [
        "RetrievePropertiesEx",
        "ContinueRetrievePropertiesEx",
        "ContinueRetrievePropertiesEx",
    ]
    assert b"<token>t1</token>" in sent[1][1] and b"<token>t2</token>" in sent[2][1]
    assert b"<maxObjects>2</maxObjects>" in sent[0][1]


def test_empty_result_is_one_empty_page() -> None:
    empty = ENV.format(
        '<RetrievePropertiesExResponse xmlns="urn:vim25"></RetrievePropertiesExResponse>'
    ).encode()
    pages = list(retrieve_pages(lambda m, b: empty, "pc", "v", "Datastore", ["name"], 10))
    assert pages == [[]]


def test_a_page_loop_that_never_ends_is_cut() -> None:
    looping = page("ContinueRetrievePropertiesEx", ["x"], "again")
    with pytest.raises(VimFault, match="more than 3 pages"):
        list(
            retrieve_pages(
                lambda m, b: looping, "pc", "v", "VirtualMachine", ["name"], 1, max_pages=3
            )
        )


def test_soap_fault_becomes_vim_fault_with_its_type() -> None:
    fault = ENV.format(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>bad path</faultstring>"
        '<detail><InvalidPropertyFault xmlns="urn:vim25" xsi:type="InvalidProperty">'
        "<name>config.bogus</name>"
        "</InvalidPropertyFault></detail></soapenv:Fault>"
    ).encode()
    with pytest.raises(VimFault) as caught:
        list(retrieve_pages(lambda m, b: fault, "pc", "v", "VirtualMachine", ["config.bogus"], 10))
    assert caught.value.fault_type == "InvalidProperty"
    assert caught.value.details == {"name": "config.bogus"}


def test_missing_set_becomes_a_gap_per_object() -> None:
    body = ENV.format(
        '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects>'
        '<obj type="HostSystem">host-9</obj>'
        '<propSet><name>name</name><val xsi:type="xsd:string">esx09</val></propSet>'
        "<missingSet><path>config.option</path><fault>"
        '<fault xsi:type="NoPermission"><privilegeId>Host.Config</privilegeId></fault>'
        "<localizedMessage>Permission denied.</localizedMessage></fault>"
        "</missingSet></objects></returnval></RetrievePropertiesExResponse>"
    ).encode()
    (objects,) = list(retrieve_pages(lambda m, b: body, "pc", "v", "HostSystem", ["name"], 10))
    gaps = missing_gaps(objects, "host", "vc1")
    assert len(gaps) == 1
    assert gaps[0].what == "host.config"
    assert gaps[0].object_id == "vc1:host-9" and gaps[0].object_name == "esx09"
    assert "NoPermission" in gaps[0].reason


def test_raw_poster_refuses_write_methods_before_sending() -> None:
    class Stub:
        def GetConnection(self) -> None:
            raise AssertionError("nothing may be sent")

    with pytest.raises(ReadOnlyViolation):
        RawPoster(Stub())("PowerOffVM_Task", b"")
