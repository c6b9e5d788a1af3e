"""Bulk property retrieval on the raw SOAP path: pyVmomi's session, lxml's parser.

pyVmomi builds a Python object per XML node, which costs seconds for thousands of VMs; here the
``RetrievePropertiesEx`` envelope is written by hand, posted over the stub's own pooled HTTP
connection with its session cookie, and the answer is parsed once by lxml. Paging follows
continuation tokens with ``ContinueRetrievePropertiesEx`` (:func:`retrieve_pages` takes the
poster as an argument so recorded responses can exercise it).
"""

from __future__ import annotations

import gzip
import http.client
import io
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
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

_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False)

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


def parse_response(body: bytes) -> etree._Element:
    """The ``returnval`` parent (the *Response element); a SOAP fault raises VimFault."""
    root = etree.fromstring(body, _PARSER)
    soap_body = root[-1] if len(root) else root
    if not len(soap_body):
        raise VimFault("InvalidResponse", "empty SOAP body")
    first = soap_body[0]
    if etree.QName(first).localname == "Fault":
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
    out = [object_props(content) for content in returnval.iterfind(_V + "objects")]
    return out, returnval.findtext(_V + "token")


def object_props(content: etree._Element) -> ObjectProps:
    """One ``<objects>`` element (an ObjectContent)."""
    obj = content.find(_V + "obj")
    item = ObjectProps(
        type=obj.get("type", "") if obj is not None else "",
        moref=(obj.text or "") if obj is not None else "",
    )
    props = item.props
    for prop in content.iterfind(_V + "propSet"):
        props[prop.findtext(_V + "name")] = prop.find(_V + "val")
    for missing in content.iterfind(_V + "missingSet"):
        fault = missing.find(_V + "fault")
        inner = fault.find(_V + "fault") if fault is not None else None
        declared = inner.get(XSI_TYPE, "") if inner is not None else ""
        item.missing.append(
            MissingProperty(
                path=missing.findtext(_V + "path") or "",
                fault_type=declared.split(":")[-1] or "SystemError",
                message=(fault.findtext(_V + "localizedMessage") if fault is not None else "")
                or "",
            )
        )
    return item


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
    parsed one at a time and each is freed once the consumer has moved past it, so memory holds
    one object's XML instead of a page's (the consumer must not keep the ObjectProps)."""
    method = "RetrievePropertiesEx"
    body = first
    pages = 0
    while True:
        if pages >= max_pages:
            raise VimFault("TooManyPages", f"more than {max_pages} pages for {obj_type}")
        answer = post(method, body)
        pages += 1
        if release:
            page = StreamedPage(answer)
            yield page
            page.drain()
            token = page.token
        else:
            objects, token = parse_objects(parse_response(answer))
            yield objects
        if not token:
            return
        method = "ContinueRetrievePropertiesEx"
        body = continue_envelope(collector, token)


class StreamedPage:
    """One RetrievePropertiesEx answer, parsed incrementally (iterable once, like a list)."""

    _SOAP_FAULT = "{http://schemas.xmlsoap.org/soap/envelope/}Fault"

    def __init__(self, body: bytes) -> None:
        self.token: str | None = None
        self._events = etree.iterparse(
            io.BytesIO(body),
            events=("end",),
            tag=(_V + "objects", _V + "token", self._SOAP_FAULT),
            huge_tree=True,
            resolve_entities=False,
        )

    def __iter__(self) -> Iterator[ObjectProps]:
        try:
            for _event, elem in self._events:
                if elem.tag == self._SOAP_FAULT:
                    raise fault_from_element(elem)
                if elem.tag == _V + "token":
                    self.token = elem.text
                    continue
                yield object_props(elem)
                # The consumer is done with this object: free its XML (and any before it).
                elem.clear()
                parent = elem.getparent()
                while parent is not None and elem.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            raise VimFault("InvalidResponse", f"unreadable XML answer: {exc}") from None

    def drain(self) -> None:
        for _obj in self:
            pass


class RawPoster:
    """Posts an envelope over a pyVmomi stub's pooled connection, with its session cookie."""

    def __init__(self, stub: Any) -> None:
        self.stub = stub
        self.round_trips = 0
        self.bytes_received = 0

    def __call__(self, method: str, envelope: bytes) -> bytes:
        check_method(method)
        stub = self.stub
        headers = {
            "Cookie": stub.cookie,
            "SOAPAction": stub.versionId,
            "Content-Type": "text/xml; charset=UTF-8",
            "Accept-Encoding": "gzip, deflate",
        }
        conn = stub.GetConnection()
        try:
            conn.request("POST", stub.path, envelope, headers)
            resp = conn.getresponse()
            raw = resp.read()
        except (TimeoutError, OSError, http.client.HTTPException):
            conn.close()
            stub.DropConnections()
            raise
        self.round_trips += 1
        if resp.status not in (200, 500):
            conn.close()
            raise VimFault("HttpError", f"HTTP {resp.status} {resp.reason}")
        stub.ReturnConnection(conn)
        encoding = (resp.getheader("Content-Encoding") or "identity").lower()
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding == "deflate":
            raw = zlib.decompress(raw)
        self.bytes_received += len(raw)
        return bytes(raw)
