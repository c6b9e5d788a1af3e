"""Parse and map one large RetrievePropertiesEx answer on two cores.

Parsing the VM answer with lxml and mapping it cost about as much as the server takes to build
it (10,000 VMs: ~1.2 s of libxml2, ~1 s of Python). lxml does not parse in parallel in threads
here, so a forked helper process takes every other slice of the answer: the answer is cut, as
it arrives, at ``<objects>`` boundaries into small well-formed documents (the envelope's
opening tags + whole objects + the matching closing tags); this process maps the even slices
while the helper maps the odd ones and sends back the mapped results (msgpack, which decodes
into the model's own structs), applied here in the answer's order.

Anything unexpected (a slice that does not parse on its own, the helper dying) raises
:class:`SplitFailed`; the caller then retrieves the type again the plain way, so a strange
answer costs one more round trip, never a wrong result.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import multiprocessing
import os
import select
import struct
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import msgspec
from lxml import etree

from vmdoctor.sources.vsphere.soap import (
    ObjectProps,
    StreamedPage,
    object_props,
    parse_response,
)

R = TypeVar("R")

_V = "{urn:vim25}"
_OBJECTS = _V + "objects"
_TOKEN = _V + "token"
_RETURNVAL = _V + "returnval"
_OPEN = b"<objects"
_AFTER_OPEN = frozenset(b"> \t\r\n")
_CLOSE = b"</objects>"

#: Below this size an answer is mapped here alone: a helper process would cost more than it
#: saves (forking, shipping results back).
MIN_SPLIT_BYTES = 4 * 1024 * 1024
#: Size of one slice: small enough that both processes start early and finish together.
SLICE_BYTES = 512 * 1024
#: The helper's share of the slices (bytes).
HELPER_SHARE = 0.55


class SplitFailed(Exception):
    """The answer could not be mapped in two processes; retrieve it again the plain way."""


def can_split() -> bool:
    """A second core, fork (Linux), and no other thread that a fork could catch mid-lock."""
    return (
        sys.platform.startswith("linux")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon  # a daemon may not have children
    )


class Slicer:
    """Cuts an answer, fed in chunks, into well-formed documents of whole ``<objects>``."""

    def __init__(self, slice_bytes: int = SLICE_BYTES) -> None:
        self.slice_bytes = slice_bytes
        self._buf = bytearray()
        self._prefix: bytes | None = None
        self._closing = b""

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        if self._prefix is None and not self._find_prefix():
            return []
        prefix = self._prefix
        assert prefix is not None
        out = []
        while len(self._buf) >= self.slice_bytes:
            cut = self._last_boundary()
            if cut <= 0:
                break
            out.append(prefix + bytes(self._buf[:cut]) + self._closing)
            del self._buf[:cut]
        return out

    def close(self) -> bytes:
        """The last document: the remaining objects and the answer's real end (token, tags)."""
        rest = bytes(self._buf)
        self._buf = bytearray()
        return (self._prefix or b"") + rest

    def _find_prefix(self) -> bool:
        at = self._next_open(0)
        if at < 0:
            return False
        prefix = bytes(self._buf[:at])
        closing = _closing_tags(prefix)
        if closing is None:
            raise SplitFailed("the answer's envelope does not parse")
        self._prefix, self._closing = prefix, closing
        del self._buf[:at]
        return True

    def _next_open(self, start: int) -> int:
        buf = self._buf
        at = buf.find(_OPEN, start)
        while at >= 0:
            end = at + len(_OPEN)
            if end >= len(buf):
                return -1  # cannot tell yet what follows
            if buf[end] in _AFTER_OPEN:
                return at
            at = buf.find(_OPEN, end)
        return -1

    def _last_boundary(self) -> int:
        """Offset of the last ``<objects`` that starts a new ObjectContent (after a closed
        one), or 0. A nested element of the same name could still fool this: its slice then
        does not parse, and the caller falls back."""
        buf = self._buf
        at = buf.rfind(_OPEN)
        while at > 0:
            end = at + len(_OPEN)
            if end < len(buf) and buf[end] in _AFTER_OPEN:
                before = bytes(buf[max(0, at - 64) : at]).rstrip()
                if before.endswith(_CLOSE):
                    return at
            at = buf.rfind(_OPEN, 0, at)
        return 0


def _closing_tags(prefix: bytes) -> bytes | None:
    """The end tags of the elements still open at the end of ``prefix`` (innermost first)."""
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False)
    stack: list[str] = []
    try:
        parser.feed(prefix)
        for event, elem in parser.read_events():
            if event == "start":
                qname = etree.QName(elem)
                stack.append(f"{elem.prefix}:{qname.localname}" if elem.prefix else qname.localname)
            else:
                stack.pop()
    except etree.XMLSyntaxError:
        return None
    return "".join(f"</{name}>" for name in reversed(stack)).encode()


def map_document(doc: bytes, map_one: Callable[[ObjectProps], R]) -> tuple[list[R], str | None]:
    """Map every ObjectContent of one document; its continuation token, if it carries one."""
    try:
        response = parse_response(doc)
    except etree.XMLSyntaxError as exc:
        raise SplitFailed(f"a slice of the answer does not parse: {exc}") from None
    out: list[R] = []
    token = None
    for returnval in response.iterchildren(_RETURNVAL):
        for el in returnval:
            tag = el.tag
            if tag == _OBJECTS:
                out.append(map_one(object_props(el)))
            elif tag == _TOKEN:
                token = el.text
    return out, token


_FRAME = struct.Struct(">IBQ")  # slice index, 0 = mapped / 1 = error, payload length
_END = 0xFFFFFFFF
_PIPE_BYTES = 1024 * 1024


def _pipe() -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    # A larger pipe lets one write carry a whole slice (the default holds 64 KiB).
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    return read_fd, write_fd


def _read_exact(fd: int, size: int) -> bytes:
    parts = []
    while size:
        part = os.read(fd, min(size, _PIPE_BYTES))
        if not part:
            raise EOFError("pipe closed")
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Helper(Generic[R]):
    """The forked process: maps the slices it is sent, sends back msgpack results.

    Plain pipes, no feeder thread: a thread here would need the GIL back from the mapping
    thread for every pipe write. Slices go out with non-blocking writes between two slices
    mapped here, and results are drained at the same moments, so neither side waits on the
    other while it has work.
    """

    def __init__(self, map_one: Callable[[ObjectProps], R]) -> None:
        self.job_r, self.job_w = _pipe()
        self.res_r, self.res_w = _pipe()
        ctx = multiprocessing.get_context("fork")
        self.process = ctx.Process(target=self._run, args=(map_one,), daemon=True)
        try:
            self.process.start()
        except BaseException:
            for fd in (self.job_r, self.job_w, self.res_r, self.res_w):
                os.close(fd)
            raise
        os.close(self.job_r)
        os.close(self.res_w)
        os.set_blocking(self.job_w, False)
        os.set_blocking(self.res_r, False)
        self._out = bytearray()
        self._in = bytearray()
        self.results: dict[int, bytes] = {}

    def _run(self, map_one: Callable[[ObjectProps], R]) -> None:
        # Short-lived: no collector pauses; the parent's sockets are never touched here.
        gc.disable()
        os.close(self.job_w)
        os.close(self.res_r)
        with contextlib.suppress(EOFError, OSError):  # the parent gave up: just end
            self._serve(map_one)

    def _serve(self, map_one: Callable[[ObjectProps], R]) -> None:
        encoder = msgspec.msgpack.Encoder()
        while True:
            index, _kind, size = _FRAME.unpack(_read_exact(self.job_r, _FRAME.size))
            if index == _END:
                return
            doc = _read_exact(self.job_r, size)
            try:
                mapped, _token = map_document(doc, map_one)
                payload, kind = encoder.encode(mapped), 0
            except Exception as exc:  # reported to the parent, which falls back
                payload, kind = f"{type(exc).__name__}: {exc}".encode(), 1
            _write_all(self.res_w, _FRAME.pack(index, kind, len(payload)) + payload)
            if kind:
                return

    def send(self, index: int, doc: bytes) -> None:
        self._out += _FRAME.pack(index, 0, len(doc))
        self._out += doc
        self.pump()

    def pump(self) -> None:
        """Write what the pipe takes, read what has arrived; never blocks."""
        if self._out:
            try:
                written = os.write(self.job_w, self._out)
                del self._out[:written]
            except BlockingIOError:
                pass
            except BrokenPipeError:
                raise SplitFailed("the helper process ended early") from None
        while True:
            try:
                data = os.read(self.res_r, _PIPE_BYTES)
            except BlockingIOError:
                break
            if not data:
                break
            self._in += data
        self._take_frames()

    def _take_frames(self) -> None:
        buf = self._in
        while len(buf) >= _FRAME.size:
            index, kind, size = _FRAME.unpack_from(buf)
            if len(buf) < _FRAME.size + size:
                return
            payload = bytes(buf[_FRAME.size : _FRAME.size + size])
            del buf[: _FRAME.size + size]
            if kind:
                raise SplitFailed(f"the helper process failed: {payload.decode()}")
            self.results[index] = payload

    def collect(self, expected: int, result_type: Any) -> dict[int, list[Any]]:
        """Wait for the results of the ``expected`` slices sent, decoded."""
        self._out += _FRAME.pack(_END, 0, 0)
        while len(self.results) < expected or self._out:
            self.pump()
            if len(self.results) >= expected and not self._out:
                break
            if not self.process.is_alive() and len(self.results) < expected:
                self.pump()
                if len(self.results) < expected:
                    raise SplitFailed("the helper process ended early")
            select.select([self.res_r], [self.job_w] if self._out else [], [], 0.5)
        decoder = msgspec.msgpack.Decoder(list[result_type])
        return {index: decoder.decode(payload) for index, payload in self.results.items()}

    def stop(self) -> None:
        for fd in (self.job_w, self.res_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def map_answer(
    chunks: Iterable[bytes],
    map_one: Callable[[ObjectProps], R],
    keep_one: Callable[[R], None],
    result_type: Any,
    min_split_bytes: int | None = None,
    slice_bytes: int | None = None,
) -> str | None:
    """Map every object of one answer, with ``map_one`` (run in either process) then
    ``keep_one`` (run here, in answer order). Returns the continuation token."""
    min_split_bytes = MIN_SPLIT_BYTES if min_split_bytes is None else min_split_bytes
    slice_bytes = slice_bytes or SLICE_BYTES
    it = iter(chunks)
    head: list[bytes] = []
    size = 0
    for chunk in it:
        head.append(chunk)
        size += len(chunk)
        if size >= min_split_bytes:
            break
    else:
        return _map_here(head, map_one, keep_one)
    return _map_split(head, it, map_one, keep_one, result_type, slice_bytes)


def _map_here(
    chunks: Iterable[bytes], map_one: Callable[[ObjectProps], R], keep_one: Callable[[R], None]
) -> str | None:
    page = StreamedPage(chunks)
    for obj in page:
        keep_one(map_one(obj))
    return page.token


def _map_split(
    head: list[bytes],
    rest: Iterator[bytes],
    map_one: Callable[[ObjectProps], R],
    keep_one: Callable[[R], None],
    result_type: Any,
    slice_bytes: int,
) -> str | None:
    slicer = Slicer(slice_bytes)
    try:
        helper = _Helper(map_one)
    except (OSError, AssertionError) as exc:  # no fork (EAGAIN, ENOMEM) or not allowed
        raise SplitFailed(f"no helper process: {exc}") from None
    mine: dict[int, list[R]] = {}
    sent = 0
    index = 0
    token: str | None = None
    theirs_bytes = mine_bytes = 0
    try:

        def take(doc: bytes) -> None:
            nonlocal index, sent, token, theirs_bytes, mine_bytes
            # The helper gets a bit more than half: this process also slices the answer,
            # decodes the helper's results and maps the last slice.
            if theirs_bytes <= HELPER_SHARE * (theirs_bytes + mine_bytes):
                helper.send(index, doc)
                theirs_bytes += len(doc)
                sent += 1
            else:
                mine_bytes += len(doc)
                mine[index], found = map_document(doc, map_one)
                token = found or token
                helper.pump()
            index += 1

        for chunk in _chain(head, rest):
            for doc in slicer.feed(chunk):
                take(doc)
        last = slicer.close()
        mine[index], found = map_document(last, map_one)
        token = found or token
        index += 1
        theirs = helper.collect(sent, result_type)
    finally:
        helper.stop()
    for i in range(index):
        for result in mine.pop(i, None) or theirs.pop(i, []):
            keep_one(result)
    return token


def _chain(head: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from head
    yield from rest
