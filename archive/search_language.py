"""The search query language and the index's tokens, shared by both database backends.

Queries read as on a web search engine: terms separated by spaces must all occur (AND), `OR`
between two terms accepts either, `-term` or `NOT term` excludes, "quoted phrases" keep their
spaces. Chinese has no spaces between words, so the index holds character bigrams: every
character of a text starts one token, itself and the next character (or the character alone
at the end of a run). A term of any length, one or two characters included, is then an
exact sequence of tokens, answered from the index.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from archive.dedupe import fold_script

# A unit is one CJK character or a run of letters and digits (a Latin word, a number).
UNIT_RE = re.compile(r"[^\W\d_a-zA-Z]|[0-9a-zA-Z]+", re.UNICODE)
QUERY_TOKEN_RE = re.compile(r'\s*(?:(-)?"([^"]*)("?)|(\S+))')


class QuerySyntaxError(ValueError):
    """A query the language cannot read; the message says what is wrong, in one line."""


@dataclass(frozen=True)
class Term:
    """A word or phrase as typed, and the index tokens that spell it: consecutive bigrams, or
    for a single unit the tokens that start with it (prefix)."""

    text: str
    tokens: tuple[str, ...]
    is_prefix: bool


@dataclass(frozen=True)
class Query:
    """All groups must match (each group is an OR of terms); no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def terms(self) -> tuple[Term, ...]:
        """The positive terms, for highlighting."""
        return tuple(term for group in self.groups for term in group)


def normalize(text: str) -> str:
    """What both the index and the query see: width folded (NFKC), lower case, simplified
    characters for traditional ones, so that a traditional mirror is found too."""
    return fold_script(unicodedata.normalize("NFKC", text)).lower()


def unit_runs(text: str) -> list[list[str]]:
    """Runs of units that touch each other; punctuation and spaces end a run."""
    runs: list[list[str]] = []
    end = -1
    for match in UNIT_RE.finditer(normalize(text)):
        if match.start() != end or not runs:
            runs.append([])
        runs[-1].append(match.group())
        end = match.end()
    return runs


def document_tokens(text: str) -> list[str]:
    """The token stream the index holds for a text: for each unit, it and the next one of its
    run, or the unit alone at the end of a run."""
    return [
        run[i] + run[i + 1] if i + 1 < len(run) else run[i]
        for run in unit_runs(text)
        for i in range(len(run))
    ]


def make_term(text: str) -> Term:
    """A term's units are taken as one run (a space inside a quoted phrase is not required in
    the text): n units are the n-1 bigrams in a row, one unit is a prefix."""
    units = [unit for run in unit_runs(text) for unit in run]
    if not units:
        raise QuerySyntaxError(f"{text!r} has no letters, digits or characters to look for")
    if len(units) == 1:
        return Term(text, (units[0],), is_prefix=True)
    return Term(text, tuple(a + b for a, b in itertools.pairwise(units)), False)


def parse_query(query: str) -> Query:
    """Read the query language; raises QuerySyntaxError with a one-line reason."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = pending_not = False
    position = 0
    text = query.strip()
    while position < len(text):
        match = QUERY_TOKEN_RE.match(text, position)
        if match is None:  # only trailing spaces are left
            break
        position = match.end()
        minus, phrase, closing, word = match.groups()
        if phrase is not None and not closing:
            raise QuerySyntaxError(f'unbalanced quote in {query!r}: close the phrase with "')
        if word == "OR":
            if not groups or pending_or or pending_not:
                raise QuerySyntaxError("OR needs a term on each side")
            pending_or = True
            continue
        if word in ("NOT", "AND"):
            if pending_not or pending_or:
                raise QuerySyntaxError(f"{word} cannot follow another operator")
            pending_not = word == "NOT"
            continue
        negative = pending_not or bool(minus) or (word is not None and word.startswith("-"))
        term_text = phrase if phrase is not None else (word or "").removeprefix("-")
        term = make_term(term_text)
        if negative:
            if pending_or:
                raise QuerySyntaxError("OR cannot join an excluded term")
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = pending_not = False
    if pending_or or pending_not:
        raise QuerySyntaxError("the query ends with an operator")
    if not groups:
        raise QuerySyntaxError("a query needs at least one term to look for (not only -terms)")
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))
