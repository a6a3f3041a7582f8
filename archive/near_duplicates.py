"""Near-duplicate reports: MinHash signatures over character shingles, LSH bands kept in SQL.

The band buckets live in `near_duplicate_bands`, so the index is shared by every run and
every crawler process that writes to the same archive.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from archive.dedupe import normalize_text
from archive.models import NearDuplicateBand, Report

# Signatures are stored as little-endian unsigned 64-bit hash values.
SIGNATURE_DTYPE = np.dtype("<u8")


@dataclass(frozen=True)
class NearDuplicateConfig:
    """How signatures are made and when two of them are one report.

    `permutations`, `bands` and `shingle_chars` define the stored index: changing them
    means re-signing every report. `threshold` can change at any time.
    """

    shingle_chars: int = 5
    permutations: int = 128
    bands: int = 32
    threshold: float = 0.8

    @property
    def rows_per_band(self) -> int:
        return self.permutations // self.bands


DEFAULT_NEAR_DUPLICATES = NearDuplicateConfig()


@dataclass(frozen=True)
class ReportIdentity:
    """What the guard compares: a report's year and issuer."""

    report_year: int | None
    issuer: str | None


@dataclass(frozen=True)
class NearMatch:
    report_id: int
    similarity: float


def shingles(text: str, size: int) -> set[bytes]:
    """Character n-grams of the normalized text (Chinese has no spaces to split words on)."""
    normalized = normalize_text(text)
    if len(normalized) <= size:
        return {normalized.encode("utf-8")}
    return {normalized[i : i + size].encode("utf-8") for i in range(len(normalized) - size + 1)}


def sign_text(text: str, config: NearDuplicateConfig) -> bytes:
    """The MinHash signature of a text, serialized for `reports.minhash`."""
    # Imported here, not above: datasketch loads SciPy, half a second that every query
    # command importing this module would pay at start without ever signing a text.
    from datasketch import MinHash

    minhash = MinHash(num_perm=config.permutations, seed=1)
    minhash.update_batch(shingles(text, config.shingle_chars))
    return np.asarray(minhash.hashvalues, dtype=SIGNATURE_DTYPE).tobytes()


def estimate_similarity(signature: bytes, other: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    left = np.frombuffer(signature, dtype=SIGNATURE_DTYPE)
    right = np.frombuffer(other, dtype=SIGNATURE_DTYPE)
    if left.shape != right.shape:
        return 0.0
    return float(np.mean(left == right))


def band_buckets(signature: bytes, config: NearDuplicateConfig) -> list[tuple[int, str]]:
    """(band, bucket) pairs: texts sharing any one are candidates for a closer look."""
    width = config.rows_per_band * SIGNATURE_DTYPE.itemsize
    return [
        (
            band,
            hashlib.blake2b(
                signature[band * width : (band + 1) * width], digest_size=16
            ).hexdigest(),
        )
        for band in range(config.bands)
    ]


def index_report(
    session: Session, report_id: int, signature: bytes, config: NearDuplicateConfig
) -> None:
    session.add_all(
        NearDuplicateBand(report_id=report_id, band=band, bucket=bucket)
        for band, bucket in band_buckets(signature, config)
    )


def _same_name(name: str | None, other: str | None) -> bool:
    return name is None or other is None or normalize_text(name) == normalize_text(other)


def is_mergeable(identity: ReportIdentity, other: ReportIdentity) -> bool:
    """The guard: a different report year or a different issuer is a different report,
    however much template text the two share. Unknown values do not block a merge."""
    years = (identity.report_year, other.report_year)
    if None not in years and years[0] != years[1]:
        return False
    return _same_name(identity.issuer, other.issuer)


def is_near_duplicate(
    similarity: float,
    identity: ReportIdentity,
    other: ReportIdentity,
    config: NearDuplicateConfig,
) -> bool:
    return similarity >= config.threshold and is_mergeable(identity, other)


def find_near_duplicate(
    session: Session, signature: bytes, identity: ReportIdentity, config: NearDuplicateConfig
) -> NearMatch | None:
    """The most similar stored report that passes threshold and guard, if any."""
    buckets = band_buckets(signature, config)
    candidate_ids = select(NearDuplicateBand.report_id).where(
        or_(*(and_(NearDuplicateBand.band == b, NearDuplicateBand.bucket == k) for b, k in buckets))
    )
    rows = session.execute(
        select(Report.id, Report.minhash, Report.report_year, Report.issuer).where(
            Report.id.in_(candidate_ids)
        )
    )
    best: NearMatch | None = None
    for report_id, stored, year, issuer in rows:
        similarity = estimate_similarity(signature, stored or b"")
        if not is_near_duplicate(similarity, identity, ReportIdentity(year, issuer), config):
            continue
        if best is None or similarity > best.similarity:
            best = NearMatch(report_id, similarity)
    return best
