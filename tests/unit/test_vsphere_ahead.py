"""RawPoster.send_ahead: a request posted early, its answer read by the next matching stream."""

from __future__ import annotations

import io
from typing import Any

import pytest

from vmdoctor.sources.vsphere.readonly import ReadOnlyViolation
from vmdoctor.sources.vsphere.soap import RawPoster

METHOD = "RetrievePropertiesEx"


class Response:
    status, reason = 200, "OK"

    def __init__(self, body: bytes) -> None:
        self._data = io.BytesIO(body)

    def getheader(self, _name: str) -> str | None:
        return None

    def read(self, amt: int) -> bytes:
        return self._data.read(amt)

    def isclosed(self) -> bool:
        return self._data.tell() == len(self._data.getbuffer())


class Conn:
    def __init__(self, name: str, fail: bool = False) -> None:
        self.name, self.fail = name, fail
        self.sent: list[bytes] = []
        self.closed = False

    def request(self, _verb: str, _path: str, body: bytes, _headers: dict[str, str]) -> None:
        self.sent.append(body)

    def getresponse(self) -> Response:
        if self.fail:
            raise ConnectionResetError("closed by the server")
        return Response(b"answer to " + self.sent[-1])

    def close(self) -> None:
        self.closed = True


class Stub:
    """Hands out a new connection each time, like pyVmomi's pool when it is empty."""

    cookie, versionId, path = "vmware_soap_session=x", "urn:vim25/8.0", "/sdk"

    def __init__(self, *conns: Conn) -> None:
        self.free = list(conns)
        self.handed: list[Conn] = []
        self.returned: list[Conn] = []

    def GetConnection(self) -> Conn:  # pyVmomi's names
        conn = self.free.pop(0)
        self.handed.append(conn)
        return conn

    def ReturnConnection(self, conn: Conn) -> None:
        self.returned.append(conn)

    def DropConnections(self) -> None:
        pass


def test_the_answer_posted_ahead_is_read_by_the_matching_stream() -> None:
    ahead, other = Conn("ahead"), Conn("other")
    poster = RawPoster(Stub(ahead, other))
    poster.send_ahead(METHOD, b"<vms/>")
    assert ahead.sent == [b"<vms/>"]
    # Another request meanwhile goes out on a connection of its own.
    assert b"".join(poster.stream(METHOD, b"<hosts/>")) == b"answer to <hosts/>"
    assert b"".join(poster.stream(METHOD, b"<vms/>")) == b"answer to <vms/>"
    assert ahead.sent == [b"<vms/>"] and other.sent == [b"<hosts/>"]
    assert poster.round_trips == 2


def test_a_failed_answer_ahead_is_asked_for_again() -> None:
    ahead, retry = Conn("ahead", fail=True), Conn("retry")
    poster = RawPoster(Stub(ahead, retry))
    poster.send_ahead(METHOD, b"<vms/>")
    assert b"".join(poster.stream(METHOD, b"<vms/>")) == b"answer to <vms/>"
    assert ahead.closed and retry.sent == [b"<vms/>"]
    assert poster.round_trips == 1


def test_a_changed_request_does_not_take_the_answer_ahead() -> None:
    ahead, fresh = Conn("ahead"), Conn("fresh")
    poster = RawPoster(Stub(ahead, fresh))
    poster.send_ahead(METHOD, b"<vms paths='all'/>")
    assert b"".join(poster.stream(METHOD, b"<vms paths='fewer'/>")) == (
        b"answer to <vms paths='fewer'/>"
    )
    assert not ahead.closed
    poster.drop_ahead()
    assert ahead.closed and fresh.sent == [b"<vms paths='fewer'/>"]


def test_send_ahead_keeps_to_the_allow_list() -> None:
    stub = Stub(Conn("never"))
    with pytest.raises(ReadOnlyViolation):
        RawPoster(stub).send_ahead("PowerOffVM_Task", b"<x/>")
    assert stub.handed == []


def test_posting_the_same_request_twice_ahead_sends_it_once() -> None:
    first: Any = Conn("first")
    poster = RawPoster(Stub(first, Conn("second")))
    poster.send_ahead(METHOD, b"<vms/>")
    poster.send_ahead(METHOD, b"<vms/>")
    assert first.sent == [b"<vms/>"] and poster.round_trips == 1
