"""Streaming the large answers: chunked reading (gzip too), the pull parser, slicing an answer
at object boundaries, and mapping it in a helper process (same result as mapping it here)."""

from __future__ import annotations

import gzip
import io
import os
from types import SimpleNamespace
from typing import Any

import msgspec
import pytest

from vmdoctor.sources.vsphere.errors import VimFault
from vmdoctor.sources.vsphere.soap import ObjectProps, RawPoster, StreamedPage, object_props
from vmdoctor.sources.vsphere.split_page import (
    Slicer,
    SplitFailed,
    can_split,
    map_answer,
    map_document,
)

ENV_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope '
    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
    '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>'
)
ENV_CLOSE = "</returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>"


def vm_object(n: int, extra: str = "") -> str:
    return (
        f'<objects><obj type="VirtualMachine">vm-{n}</obj>'
        f'<propSet><name>name</name><val xsi:type="xsd:string">app{n:05d}</val></propSet>'
        f'<propSet><name>config.hardware.numCPU</name><val xsi:type="xsd:int">{n % 8 + 1}</val>'
        f"</propSet>{extra}</objects>"
    )


def answer(count: int, token: str | None = None, extra: str = "") -> bytes:
    tok = f"<token>{token}</token>" if token else ""
    objects = "".join(vm_object(n, extra) for n in range(count))
    return (ENV_OPEN + tok + objects + ENV_CLOSE).encode()


def pieces(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


class Cpu(msgspec.Struct, frozen=True):
    moref: str
    name: str
    cpus: int


def map_cpu(obj: ObjectProps) -> Cpu:
    return Cpu(obj.moref, obj.props["name"].text, int(obj.props["config.hardware.numCPU"].text))


# --- object_props and the pull parser ---------------------------------------------------------


def test_properties_out_of_schema_order_are_still_read() -> None:
    body = (
        ENV_OPEN + '<objects><obj type="VirtualMachine">vm-1</obj><propSet>'
        '<val xsi:type="xsd:string">db01</val><name>name</name></propSet></objects>' + ENV_CLOSE
    ).encode()
    (obj,) = list(StreamedPage([body]))
    assert obj.moref == "vm-1" and obj.props["name"].text == "db01"


def test_streamed_page_reads_small_chunks_and_ignores_nested_namesakes() -> None:
    # A property value holding elements named like ObjectContent and token must not be taken
    # for another object or for the continuation token.
    nested = (
        "<propSet><name>x</name><val><objects>inner</objects><token>not-it</token></val></propSet>"
    )
    body = answer(3, token="page-2", extra=nested)
    page = StreamedPage(pieces(body, 7))
    seen = [(o.moref, o.props["name"].text, o.props["x"][0].text) for o in page]
    assert seen == [(f"vm-{n}", f"app0000{n}", "inner") for n in range(3)]
    assert page.token == "page-2"


def test_streamed_page_raises_the_soap_fault() -> None:
    fault = (
        b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
        b'envelope/"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode>'
        b"<faultstring>session is gone</faultstring><detail><NotAuthenticatedFault "
        b'xmlns="urn:vim25"/></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>'
    )
    with pytest.raises(VimFault) as err:
        list(StreamedPage(pieces(fault, 50)))
    assert err.value.fault_type == "NotAuthenticated"


def test_truncated_answer_is_a_clear_error() -> None:
    body = answer(2)
    with pytest.raises(VimFault, match="unreadable XML answer"):
        list(StreamedPage([body[: len(body) // 2]]))


# --- RawPoster.stream ---------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, body: bytes, encoding: str | None, status: int = 200) -> None:
        self._data = io.BytesIO(body)
        self.status, self.reason = status, "OK"
        self._encoding = encoding

    def getheader(self, name: str) -> str | None:
        return self._encoding if name == "Content-Encoding" else None

    def read(self, amt: int) -> bytes:
        return self._data.read(min(amt, 1000))  # the network hands over small pieces

    def isclosed(self) -> bool:
        return self._data.tell() == len(self._data.getbuffer())


class FakeStub:
    cookie, versionId, path = "vmware_soap_session=x", "urn:vim25/8.0", "/sdk"

    def __init__(self, response: FakeResponse) -> None:
        self.response = response
        self.returned: list[Any] = []
        self.dropped = 0
        self.conn = SimpleNamespace(
            request=lambda *a: None, getresponse=lambda: response, close=lambda: None
        )

    def GetConnection(self) -> Any:  # pyVmomi's names
        return self.conn

    def ReturnConnection(self, conn: Any) -> None:
        self.returned.append(conn)

    def DropConnections(self) -> None:
        self.dropped += 1


def test_stream_inflates_gzip_in_chunks_and_returns_the_connection() -> None:
    body = answer(3000)
    stub = FakeStub(FakeResponse(gzip.compress(body), "gzip"))
    poster = RawPoster(stub)
    chunks = list(poster.stream("RetrievePropertiesEx", b"<x/>"))
    assert b"".join(chunks) == body and len(chunks) > 1
    assert poster.bytes_received == len(body) and poster.round_trips == 1
    assert stub.returned == [stub.conn] and stub.dropped == 0


def test_an_abandoned_stream_drops_its_connection() -> None:
    stub = FakeStub(FakeResponse(answer(40), None))
    stream = RawPoster(stub).stream("RetrievePropertiesEx", b"<x/>")
    next(iter(stream))
    stream.close()
    assert stub.returned == [] and stub.dropped == 1


def test_http_error_status_is_a_fault() -> None:
    stub = FakeStub(FakeResponse(b"busy", None, status=503))
    with pytest.raises(VimFault, match="HTTP 503"):
        RawPoster(stub).stream("RetrievePropertiesEx", b"<x/>")


# --- slicing ------------------------------------------------------------------------------------


def test_slices_are_whole_documents_holding_every_object_once() -> None:
    body = answer(500, token="next-page")
    slicer = Slicer(slice_bytes=4096)
    docs = [doc for chunk in pieces(body, 1500) for doc in slicer.feed(chunk)]
    docs.append(slicer.close())
    assert len(docs) > 10
    morefs: list[str] = []
    tokens = []
    for doc in docs:
        mapped, token = map_document(doc, lambda o: o.moref)
        morefs.extend(mapped)
        tokens.append(token)
    assert morefs == [f"vm-{n}" for n in range(500)]
    assert set(tokens) == {"next-page"}  # the token precedes the objects: every slice has it


def test_an_answer_without_objects_is_one_document() -> None:
    body = (ENV_OPEN + ENV_CLOSE).encode()
    slicer = Slicer(slice_bytes=10)
    assert [d for c in pieces(body, 16) for d in slicer.feed(c)] == []
    assert slicer.close() == body


def test_a_nested_array_of_objects_makes_a_slice_fail_not_lie() -> None:
    # Elements named "objects" inside a value (vSAN types have such a field): a cut there would
    # leave a slice that is not well-formed, which must be reported, never half-mapped.
    nested = "<propSet><name>x</name><val>" + "<objects>1</objects>" * 400 + "</val></propSet>"
    body = answer(3, extra=nested)
    slicer = Slicer(slice_bytes=2048)
    docs = [d for c in pieces(body, 1024) for d in slicer.feed(c)] + [slicer.close()]
    with pytest.raises(SplitFailed):
        for doc in docs:
            map_document(doc, lambda o: o.moref)


# --- mapping in a helper process ------------------------------------------------------------


def test_helper_process_maps_half_and_the_result_matches_mapping_here() -> None:
    body = answer(3000, token="t-9")
    here: list[Cpu] = []
    token_here = map_answer(pieces(body, 65536), map_cpu, here.append, Cpu, min_split_bytes=1 << 40)
    split: list[Cpu] = []
    token_split = map_answer(
        pieces(body, 65536), map_cpu, split.append, Cpu, min_split_bytes=1, slice_bytes=16384
    )
    assert token_here == token_split == "t-9"
    assert can_split()  # the helper left no thread behind (this machine has two cores)
    assert split == here and len(here) == 3000
    assert here[1234] == Cpu("vm-1234", "app01234", 1234 % 8 + 1)


def test_a_failure_in_the_helper_process_is_reported() -> None:
    parent = os.getpid()

    def fails_in_the_helper(obj: ObjectProps) -> Cpu:
        if os.getpid() != parent:
            raise ValueError("cannot map")
        return map_cpu(obj)

    with pytest.raises(SplitFailed):
        map_answer(
            pieces(answer(3000), 65536),
            fails_in_the_helper,
            lambda _c: None,
            Cpu,
            min_split_bytes=1,
            slice_bytes=16384,
        )


def test_a_fault_answer_is_still_a_fault_when_splitting() -> None:
    fault = (
        b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
        b'envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
        b"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>bad</faultstring>"
        b'<detail><InvalidPropertyFault xmlns="urn:vim25" xsi:type="InvalidProperty"><name>'
        b"config.bogus</name></InvalidPropertyFault></detail></soapenv:Fault></soapenv:Body>"
        b"</soapenv:Envelope>"
    )
    with pytest.raises(VimFault) as err:
        map_answer([fault], map_cpu, lambda _c: None, Cpu, min_split_bytes=1)
    assert err.value.fault_type == "InvalidProperty"
    assert err.value.details["name"] == "config.bogus"


def test_object_props_reads_a_missing_set() -> None:
    from lxml import etree

    content = etree.fromstring(
        '<objects xmlns="urn:vim25" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<obj type="HostSystem">host-9</obj><missingSet><path>config.option</path><fault>'
        '<fault xsi:type="NoPermission"/><localizedMessage>denied</localizedMessage></fault>'
        "</missingSet></objects>"
    )
    obj = object_props(content)
    assert obj.moref == "host-9" and obj.type == "HostSystem" and obj.props == {}
    assert [(m.path, m.fault_type, m.message) for m in obj.missing] == [
        ("config.option", "NoPermission", "denied")
    ]


def test_retrieval_falls_back_to_one_process_when_the_helper_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vmdoctor.sources.vsphere import inventory

    monkeypatch.setattr(inventory, "MIN_SPLIT_BYTES", 1)
    monkeypatch.setattr(inventory, "can_split", lambda: True)
    body = answer(3000)
    sent: list[str] = []

    def post(method: str, envelope: bytes) -> bytes:
        sent.append(method)
        return body

    parent = os.getpid()

    def map_one(obj: ObjectProps) -> Cpu:
        if os.getpid() != parent:
            raise ValueError("the helper cannot map")
        return map_cpu(obj)

    kept: dict[str, Cpu] = {}
    session = SimpleNamespace(
        call=lambda fn: fn(),
        content=SimpleNamespace(propertyCollector=SimpleNamespace(_moId="pc")),
    )
    result = inventory.retrieve_type(
        session,  # type: ignore[arg-type]
        post,  # type: ignore[arg-type]
        SimpleNamespace(moref="v"),  # type: ignore[arg-type]
        "VirtualMachine",
        1000,
        "vc1",
        mapping=inventory.ObjectMapping(map_one, lambda c: kept.__setitem__(c.moref, c), Cpu),
    )
    assert sent == ["RetrievePropertiesEx", "RetrievePropertiesEx"]  # split, then plain
    assert result.gaps == [] and result.pages == 1
    assert len(kept) == 3000 and kept["vm-7"] == Cpu("vm-7", "app00007", 8)
