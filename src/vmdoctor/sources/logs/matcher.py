"""Find the lines that match a signature, fast.

Running ~170 regular expressions on every line of a gigabyte of logs is far too slow, so each
signature is reduced to the literal strings a matching line must contain (derived from the
regex itself, so the catalog stays plain regexes). One multi-literal search (Aho-Corasick over
bytes) scans each block; only lines holding a literal are split out and tried against the
regexes of the signatures that literal belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, BinaryIO

from vmdoctor.knowledge.signatures import SEVERITIES, Signature

BLOCK_BYTES = 4 << 20
MAX_LINE_BYTES = 64 << 10  # longer lines are cut: a log line is never legitimately this long
MIN_LITERAL = 3

_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def required_literals(regex: str) -> list[str] | None:
    """Literal strings one of which every match of ``regex`` contains, or None if none found.

    The longest run of plain characters in the top-level sequence is required by every match;
    an alternation at the top level gives one literal per alternative.
    """
    try:
        parsed = sre_parse.parse(regex)
    except re.error:
        return None
    return _literals_of(list(parsed))


def _literals_of(items: list[tuple[Any, Any]]) -> list[str] | None:
    """Every mandatory part of a sequence offers an option; keep the one with the longest
    shortest literal (the most selective prefilter)."""
    options: list[list[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre_constants.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(["".join(run)])
            run = []
        inner: list[str] | None = None
        if op is sre_constants.BRANCH:
            inner = _branch_literals(av[1])
        elif op is sre_constants.SUBPATTERN:
            inner = _literals_of(list(av[-1]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            inner = _literals_of(list(av[2]))
        if inner:
            options.append(inner)
    options = [o for o in options if min(map(len, o)) >= MIN_LITERAL]
    if not options:
        return None
    return max(options, key=lambda o: (min(map(_selectivity, o)), -len(o)))


#: words every healthy log is full of: a literal made of one of them filters nothing
_COMMON_WORDS = ("heartbeat", "hostd", "vpxa", "vpxd", "failed", "error", "warning", "timeout")


def _selectivity(literal: str) -> int:
    text = literal.strip().lower()
    if any(text in word for word in _COMMON_WORDS) or text.isdigit():
        return len(literal) - 100
    return len(literal)


def _branch_literals(alternatives: Iterable[Any]) -> list[str] | None:
    out: list[str] = []
    for alt in alternatives:
        lits = _literals_of(list(alt))
        if not lits:
            return None
        out.extend(lits)
    return out


class _LiteralFinder:
    """Positions of any of many literals in a block: Aho-Corasick when available."""

    def __init__(self, literals: Sequence[bytes]) -> None:
        try:
            import ahocorasick_rs
        except ImportError:  # pragma: no cover - the package is a declared dependency
            self._ac = None
            self._index = {lit: i for i, lit in enumerate(literals)}
            self._re = re.compile(
                b"|".join(re.escape(x) for x in sorted(literals, key=len, reverse=True))
            )
        else:
            self._ac = ahocorasick_rs.BytesAhoCorasick(
                list(literals), matchkind=ahocorasick_rs.MatchKind.Standard
            )

    def find(self, block: bytes) -> list[tuple[int, int, int]]:
        if self._ac is not None:
            found: list[tuple[int, int, int]] = self._ac.find_matches_as_indexes(
                block, overlapping=True
            )
            return found
        return [(self._index[m.group()], m.start(), m.end()) for m in self._re.finditer(block)]


@dataclass(frozen=True, slots=True)
class LineMatch:
    line_no: int  # 1-based
    raw: bytes  # without the line ending
    signature: Signature


class SignatureMatcher:
    """Matches a stream of log bytes against a signature catalog."""

    def __init__(self, signatures: Sequence[Signature]) -> None:
        self.signatures = tuple(signatures)
        by_literal: dict[bytes, list[int]] = {}
        self.unfiltered: list[int] = []
        for idx, sig in enumerate(self.signatures):
            lits = required_literals(sig.regex)
            if not lits:
                self.unfiltered.append(idx)
                continue
            for lit in lits:
                by_literal.setdefault(lit.encode("latin-1"), []).append(idx)
        self._literals = list(by_literal)
        self._sigs_of_literal = [by_literal[lit] for lit in self._literals]
        self._finder = _LiteralFinder(self._literals)

    def best(self, line: bytes, candidates: Iterable[int]) -> Signature | None:
        """The most severe matching signature among candidates (catalog order on ties)."""
        found: Signature | None = None
        for idx in sorted(set(candidates)):
            sig = self.signatures[idx]
            if (
                found is None or _SEVERITY_RANK[sig.severity] > _SEVERITY_RANK[found.severity]
            ) and sig.pattern.search(line):
                found = sig
        return found

    def match_line(self, line: bytes) -> Signature | None:
        candidates = {i for _, s, e in self._finder.find(line) for i in self._sigs_of_literal[_]}
        return self.best(line, [*candidates, *self.unfiltered])

    def scan(self, stream: BinaryIO, block_bytes: int = BLOCK_BYTES) -> Iterator[LineMatch]:
        """Matching lines of a binary stream, read in blocks: memory stays flat."""
        line_no = 1  # number of the first line in ``pending``
        pending = b""
        while True:
            data = stream.read(block_bytes)
            if not data:
                if pending:
                    yield from self._scan_block(pending, line_no)
                return
            block = pending + data if pending else data
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                if len(block) > MAX_LINE_BYTES:  # one endless line: look at its head only
                    yield from self._scan_block(block[:MAX_LINE_BYTES], line_no)
                    pending = b""
                    line_no += 1
                else:
                    pending = block
                continue
            yield from self._scan_block(block[:cut], line_no)
            line_no += block.count(b"\n", 0, cut)
            pending = block[cut:]

    def _scan_block(self, block: bytes, first_line_no: int) -> Iterator[LineMatch]:
        lines: dict[int, list[int]] = {}
        for lit_idx, start, _end in self._finder.find(block):
            line_start = block.rfind(b"\n", 0, start) + 1
            lines.setdefault(line_start, []).extend(self._sigs_of_literal[lit_idx])
        if self.unfiltered:
            for line_start in _line_starts(block):
                lines.setdefault(line_start, [])
        counted_to, line_no = 0, first_line_no
        for line_start in sorted(lines):
            end = block.find(b"\n", line_start)
            line = block[line_start : end if end >= 0 else len(block)]
            if len(line) > MAX_LINE_BYTES:
                line = line[:MAX_LINE_BYTES]
            sig = self.best(line, [*lines[line_start], *self.unfiltered])
            if sig is None:
                continue
            line_no += block.count(b"\n", counted_to, line_start)
            counted_to = line_start
            yield LineMatch(line_no, line.rstrip(b"\r"), sig)


def _line_starts(block: bytes) -> Iterator[int]:
    pos = 0
    while pos < len(block):
        yield pos
        nxt = block.find(b"\n", pos)
        if nxt < 0:
            return
        pos = nxt + 1
