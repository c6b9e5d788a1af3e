"""Bulk property retrieval on the raw SOAP path: pyVmomi's session, lxml's parser.

pyVmomi builds a Python object per XML node, which costs seconds for thousands of VMs; here the
``RetrievePropertiesEx`` envelope is written by hand, posted over the stub's own pooled HTTP
connection with its session cookie, and the answer is parsed once by lxml. Paging follows
continuation tokens with ``ContinueRetrievePropertiesEx`` (:func:`retrieve_pages` takes the
poster as an argument so recorded responses can exercise it).
"""

from __future__ import annotations

import contextlib
import http.client
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from xml.sax.saxutils import escape

from lxml import etree

from vmdoctor.sources.vsphere.errors import VimFault
from vmdoctor.sources.vsphere.readonly import check_method

VIM = "urn:vim25"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_V = "{urn:vim25}"

_ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
)

_PARSER = etree.XMLParser(
    huge_tree=True, resolve_entities=False, remove_comments=True, remove_pis=True
)

Poster = Callable[[str, bytes], bytes]  # (method, envelope) -> response body


def envelope(body: str) -> bytes:
    """A SOAP envelope around one request body (the namespaces every vim25 request uses)."""
    return _ENVELOPE.format(body=body).encode()


@dataclass(slots=True)
class MissingProperty:
    path: str
    fault_type: str
    message: str


@dataclass(slots=True)
class ObjectProps:
    """One ``ObjectContent``: the object's moref and its returned property values (elements)."""

    type: str
    moref: str
    props: dict[str, Any] = field(default_factory=dict)  # path -> <val> element
    missing: list[MissingProperty] = field(default_factory=list)


def moref_xml(tag: str, type_: str, value: str) -> str:
    return f'<{tag} type="{escape(type_)}">{escape(value)}</{tag}>'


def retrieve_envelope(
    collector: str, view: str, obj_type: str, paths: Sequence[str], page_size: int
) -> bytes:
    path_xml = "".join(f"<pathSet>{escape(p)}</pathSet>" for p in paths)
    body = (
        f'<RetrievePropertiesEx xmlns="{VIM}">'
        + moref_xml("_this", "PropertyCollector", collector)
        + "<specSet>"
        f"<propSet><type>{escape(obj_type)}</type><all>false</all>{path_xml}</propSet>"
        "<objectSet>" + moref_xml("obj", "ContainerView", view) + "<skip>true</skip>"
        '<selectSet xsi:type="TraversalSpec"><name>view</name><type>ContainerView</type>'
        "<path>view</path><skip>false</skip></selectSet>"
        "</objectSet></specSet>"
        f"<options><maxObjects>{int(page_size)}</maxObjects></options>"
        "</RetrievePropertiesEx>"
    )
    return _ENVELOPE.format(body=body).encode()


def objects_envelope(
    collector: str, obj_type: str, morefs: Sequence[str], paths: Sequence[str]
) -> bytes:
    """Properties of a list of objects outside any view (e.g. each host's OptionManager)."""
    path_xml = "".join(f"<pathSet>{escape(p)}</pathSet>" for p in paths)
    objects = "".join(
        "<objectSet>" + moref_xml("obj", obj_type, m) + "<skip>false</skip></objectSet>"
        for m in morefs
    )
    body = (
        f'<RetrievePropertiesEx xmlns="{VIM}">'
        + moref_xml("_this", "PropertyCollector", collector)
        + f"<specSet><propSet><type>{escape(obj_type)}</type><all>false</all>{path_xml}</propSet>"
        + objects
        + "</specSet><options></options></RetrievePropertiesEx>"
    )
    return _ENVELOPE.format(body=body).encode()


def continue_envelope(collector: str, token: str) -> bytes:
    body = (
        f'<ContinueRetrievePropertiesEx xmlns="{VIM}">'
        + moref_xml("_this", "PropertyCollector", collector)
        + f"<token>{escape(token)}</token></ContinueRetrievePropertiesEx>"
    )
    return _ENVELOPE.format(body=body).encode()


_SOAP_FAULT = "{http://schemas.xmlsoap.org/soap/envelope/}Fault"
# Tags compared as plain strings: etree.QName and find() paths cost microseconds per call,
# which at ~40 properties x 10,000 VMs is seconds.
_OBJECTS = _V + "objects"
_OBJ = _V + "obj"
_PROP_SET = _V + "propSet"
_MISSING_SET = _V + "missingSet"
_TOKEN = _V + "token"
_RETURNVAL = _V + "returnval"
_NAME = _V + "name"


def parse_response(body: bytes) -> etree._Element:
    """The ``returnval`` parent (the *Response element); a SOAP fault raises VimFault."""
    root = etree.fromstring(body, _PARSER)
    soap_body = root[-1] if len(root) else root
    if not len(soap_body):
        raise VimFault("InvalidResponse", "empty SOAP body")
    first = soap_body[0]
    if first.tag == _SOAP_FAULT or etree.QName(first).localname == "Fault":
        raise fault_from_element(first)
    return first


def fault_from_element(fault: etree._Element) -> VimFault:
    message = fault.findtext("faultstring") or ""
    detail = fault.find("detail")
    fault_type = "SystemError"
    details: dict[str, str] = {}
    if detail is not None and len(detail):
        inner = detail[0]
        declared = inner.get(XSI_TYPE)
        fault_type = declared.split(":")[-1] if declared else etree.QName(inner).localname
        fault_type = fault_type.removesuffix("Fault") if not declared else fault_type
        for child in inner:
            if child.text and not len(child):
                details[etree.QName(child).localname] = child.text
    return VimFault(fault_type, message, details)


def parse_objects(response: etree._Element) -> tuple[list[ObjectProps], str | None]:
    """ObjectContents of one page, and the continuation token (None on the last page)."""
    returnval = response.find(_V + "returnval")
    if returnval is None:
        return [], None
    out = [object_props(content) for content in returnval.iterchildren(_OBJECTS)]
    return out, returnval.findtext(_TOKEN)


def object_props(content: etree._Element) -> ObjectProps:
    """One ``<objects>`` element (an ObjectContent).

    This runs once per object and once per property, so it walks children by position and
    compares tag strings: a ``DynamicProperty`` is ``<name>`` then ``<val>`` (schema order).
    """
    item = ObjectProps(type="", moref="")
    props = item.props
    for el in content:
        tag = el.tag
        if tag == _PROP_SET:
            count = len(el)
            if count == 2 and el[0].tag == _NAME:
                props[el[0].text] = el[1]
            elif count:  # not in schema order, or a name without a value
                props[el.findtext(_NAME)] = el.find(_V + "val")
        elif tag == _OBJ:
            item.type = el.get("type", "")
            item.moref = el.text or ""
        elif tag == _MISSING_SET:
            item.missing.append(_missing(el))
    return item


def _missing(missing: etree._Element) -> MissingProperty:
    fault = missing.find(_V + "fault")
    inner = fault.find(_V + "fault") if fault is not None else None
    declared = inner.get(XSI_TYPE, "") if inner is not None else ""
    return MissingProperty(
        path=missing.findtext(_V + "path") or "",
        fault_type=declared.split(":")[-1] or "SystemError",
        message=(fault.findtext(_V + "localizedMessage") if fault is not None else "") or "",
    )


def retrieve_pages(
    post: Poster,
    collector: str,
    view: str,
    obj_type: str,
    paths: Sequence[str],
    page_size: int,
    max_pages: int = 100_000,
    release: bool = False,
) -> Iterator[Iterable[ObjectProps]]:
    """Every page of one property retrieval, following continuation tokens."""
    first = retrieve_envelope(collector, view, obj_type, paths, page_size)
    yield from follow_pages(post, collector, first, obj_type, max_pages, release)


def follow_pages(
    post: Poster,
    collector: str,
    first: bytes,
    obj_type: str,
    max_pages: int = 100_000,
    release: bool = False,
) -> Iterator[Iterable[ObjectProps]]:
    """Every page of a retrieval. With ``release``, each page is a lazy stream: its objects are
    parsed one at a time as the answer arrives from the socket (when the poster can stream)
    and each is freed once the consumer has moved past it, so memory holds a few chunks and
    one object's XML instead of a page's (the consumer must not keep the ObjectProps)."""
    method = "RetrievePropertiesEx"
    body = first
    pages = 0
    stream: Callable[[str, bytes], ResponseChunks] | None = getattr(post, "stream", None)
    while True:
        if pages >= max_pages:
            raise VimFault("TooManyPages", f"more than {max_pages} pages for {obj_type}")
        pages += 1
        if release:
            chunks = stream(method, body) if stream is not None else [post(method, body)]
            page = StreamedPage(chunks)
            try:
                yield page
                page.drain()
            finally:
                page.close()
            token = page.token
        else:
            objects, token = parse_objects(parse_response(post(method, body)))
            yield objects
        if not token:
            return
        method = "ContinueRetrievePropertiesEx"
        body = continue_envelope(collector, token)


def follow_mapped_pages(
    post: Poster,
    collector: str,
    first: bytes,
    obj_type: str,
    map_page: Callable[[Iterable[bytes]], str | None],
    max_pages: int = 100_000,
) -> int:
    """Every page of a retrieval, each handed as its body's chunks to ``map_page`` (which
    returns the page's continuation token). Returns the number of pages."""
    method = "RetrievePropertiesEx"
    body = first
    stream: Callable[[str, bytes], ResponseChunks] | None = getattr(post, "stream", None)
    for pages in range(1, max_pages + 1):
        chunks = stream(method, body) if stream is not None else [post(method, body)]
        try:
            token = map_page(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if not token:
            return pages
        method = "ContinueRetrievePropertiesEx"
        body = continue_envelope(collector, token)
    raise VimFault("TooManyPages", f"more than {max_pages} pages for {obj_type}")


class ResponseChunks(Protocol):
    """The body of one answer, as byte chunks in arrival order."""

    def __iter__(self) -> Iterator[bytes]: ...


#: Bytes handed to the pull parser at a time: small enough that parsing keeps up with the
#: socket and memory stays flat, large enough that the per-call cost vanishes.
FEED_BYTES = 64 * 1024


class StreamedPage:
    """One RetrievePropertiesEx answer parsed while it arrives (iterable once, like a list).

    ``chunks`` is the body in pieces (a streaming poster's chunks, or one recorded body). Each
    ``<objects>`` element is handed over when its end tag has been parsed, then freed with
    everything before it, so neither the body nor its tree is ever held whole.
    """

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.token: str | None = None
        self._chunks = chunks
        self._parser = etree.XMLPullParser(
            events=("end",),
            tag=(_OBJECTS, _TOKEN, _SOAP_FAULT),
            huge_tree=True,
            resolve_entities=False,
            remove_comments=True,
            remove_pis=True,
        )
        self._started = False

    def __iter__(self) -> Iterator[ObjectProps]:
        if self._started:
            return
        self._started = True
        parser = self._parser
        try:
            for chunk in self._chunks:
                for start in range(0, len(chunk), FEED_BYTES):
                    parser.feed(chunk[start : start + FEED_BYTES])
                    yield from self._ready()
            parser.close()
            yield from self._ready()
        except etree.XMLSyntaxError as exc:
            raise VimFault("InvalidResponse", f"unreadable XML answer: {exc}") from None

    def _ready(self) -> Iterator[ObjectProps]:
        for _event, elem in self._parser.read_events():
            tag = elem.tag
            parent = elem.getparent()
            if tag == _SOAP_FAULT:
                raise fault_from_element(elem)
            if parent is None or parent.tag != _RETURNVAL:
                continue  # an element of the same name inside a property value
            if tag == _OBJECTS:
                yield object_props(elem)
                # The consumer is done with this object: free its XML (and any before it).
                elem.clear()
                while elem.getprevious() is not None:
                    del parent[0]
            else:
                self.token = elem.text

    def drain(self) -> None:
        for _obj in self:
            pass

    def close(self) -> None:
        """Release the answer's connection (read to the end, or dropped if abandoned)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


class RawPoster:
    """Posts an envelope over a pyVmomi stub's pooled connection, with its session cookie."""

    def __init__(self, stub: Any) -> None:
        self.stub = stub
        self.round_trips = 0
        self.bytes_received = 0
        # Requests posted ahead, whose answers are not read yet: (method, envelope) -> conn.
        self._ahead: dict[tuple[str, bytes], Any] = {}

    def __call__(self, method: str, envelope: bytes) -> bytes:
        """The whole (decompressed) answer body."""
        return b"".join(self.stream(method, envelope))

    def stream(self, method: str, envelope: bytes) -> _ChunkedAnswer:
        """The answer body in chunks as they arrive (decompressed); iterate it to the end or
        close it. The connection goes back to the pool only once the body was read whole."""
        check_method(method)
        stub = self.stub
        resp = self._answer_ahead(method, envelope)
        if resp is not None:
            conn, resp = resp
        else:
            conn = stub.GetConnection()
            try:
                conn.request("POST", stub.path, envelope, self._headers())
                resp = conn.getresponse()
            except (TimeoutError, OSError, http.client.HTTPException):
                conn.close()
                stub.DropConnections()
                raise
            self.round_trips += 1
        if resp.status not in (200, 500):
            conn.close()
            raise VimFault("HttpError", f"HTTP {resp.status} {resp.reason}")
        return _ChunkedAnswer(self, conn, resp)

    def send_ahead(self, method: str, envelope: bytes) -> None:
        """Post now on a connection of its own, read the answer later: the server builds a
        large answer while this process reads and parses smaller ones. The next ``stream``
        of the same method and envelope takes that answer; ``drop_ahead`` ends the unused."""
        check_method(method)
        key = (method, envelope)
        if key in self._ahead:
            return
        conn = self.stub.GetConnection()
        try:
            conn.request("POST", self.stub.path, envelope, self._headers())
        except (TimeoutError, OSError, http.client.HTTPException):
            conn.close()  # no harm done: the answer is asked for again when needed
            return
        self.round_trips += 1
        self._ahead[key] = conn

    def _answer_ahead(self, method: str, envelope: bytes) -> tuple[Any, Any] | None:
        conn = self._ahead.pop((method, envelope), None)
        if conn is None:
            return None
        try:
            return conn, conn.getresponse()
        except TimeoutError:
            conn.close()
            raise
        except (OSError, http.client.HTTPException):
            conn.close()  # e.g. the server closed an idle connection: post it again
            self.round_trips -= 1
            return None

    def drop_ahead(self) -> None:
        """Close the connections of answers posted ahead and never read."""
        ahead, self._ahead = self._ahead, {}
        for conn in ahead.values():
            with contextlib.suppress(OSError):
                conn.close()

    def _headers(self) -> dict[str, str]:
        return {
            "Cookie": self.stub.cookie,
            "SOAPAction": self.stub.versionId,
            "Content-Type": "text/xml; charset=UTF-8",
            "Accept-Encoding": "gzip, deflate",
        }


class _ChunkedAnswer:
    """One HTTP answer read in chunks; gzip/deflate bodies are inflated as they arrive."""

    READ_BYTES = 256 * 1024

    def __init__(self, poster: RawPoster, conn: Any, resp: http.client.HTTPResponse) -> None:
        self._poster = poster
        self._conn: Any = conn
        self._resp = resp
        encoding = (resp.getheader("Content-Encoding") or "identity").lower()
        self._inflate = (
            zlib.decompressobj(wbits=31)
            if encoding == "gzip"
            else zlib.decompressobj()
            if encoding == "deflate"
            else None
        )

    def __iter__(self) -> Iterator[bytes]:
        resp, inflate = self._resp, self._inflate
        try:
            while True:
                raw = resp.read(self.READ_BYTES)
                if not raw:
                    break
                data = inflate.decompress(raw) if inflate is not None else raw
                if data:
                    self._poster.bytes_received += len(data)
                    yield data
            if inflate is not None:
                tail = inflate.flush()
                if tail:
                    self._poster.bytes_received += len(tail)
                    yield tail
        except (TimeoutError, OSError, http.client.HTTPException, zlib.error):
            self._drop()
            raise
        self._release()

    def _release(self) -> None:
        if self._conn is not None:
            self._poster.stub.ReturnConnection(self._conn)
            self._conn = None

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._poster.stub.DropConnections()
            self._conn = None

    def close(self) -> None:
        """An answer abandoned before its end cannot share the connection any more."""
        if self._conn is not None and not self._resp.isclosed():
            self._drop()
        self._release()
