"""Exactly-once storage across processes: before `store_report` looks for a page's report,
it takes PostgreSQL transaction-scoped advisory locks on everything two writers of one report
could share (the page URL, the exact content key, every near-duplicate band bucket). Two
processes storing one report, or near duplicates of it, at the same moment then run one after
the other: the second sees the first's committed report and adds only a sighting.

On SQLite nothing is taken: one writer at a time is how SQLite works anyway."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session

from archive.near_duplicates import NearDuplicateConfig, band_buckets

# Names of what is locked share one 64-bit advisory-lock space with other users of the
# database (the migration lock among them): a namespace keeps ours apart.
_NAMESPACE = b"nianbao.store_report:"


def lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for `name`."""
    digest = hashlib.blake2b(_NAMESPACE + name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock(session: Session, names: list[str]) -> None:
    """Hold the advisory locks of `names` until this transaction ends (PostgreSQL only),
    taken in one order (sorted keys) by every writer, so that two writers never wait on each
    other in a cycle."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({lock_key(name) for name in names})
    session.execute(
        text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k"),
        {"keys": keys},
    )


def lock_portal_rows(session: Session) -> None:
    """Several processes starting on one archive upsert the same registry rows."""
    _lock(session, ["portals"])


def report_lock_names(
    url: str, key: str, signature: bytes | None, near: NearDuplicateConfig
) -> list[str]:
    names = [f"url:{url}", f"key:{key}"]
    if signature is not None:
        names += [f"band:{band}:{bucket}" for band, bucket in band_buckets(signature, near)]
    return names


def lock_report_identity(
    session: Session, url: str, key: str, signature: bytes | None, near: NearDuplicateConfig
) -> None:
    """Hold, until this transaction ends, the locks of a report stored from `url` with
    content `key` and near-duplicate `signature`."""
    _lock(session, report_lock_names(url, key, signature, near))
