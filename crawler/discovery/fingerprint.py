"""CMS fingerprints: which family (TRS, Hanweb, gkmlpt, generic) a portal page comes from."""

from __future__ import annotations

import re
from enum import StrEnum


class CmsFamily(StrEnum):
    TRS = "trs"
    HANWEB = "hanweb"
    GKMLPT = "gkmlpt"
    GENERIC = "generic"


# Marks each family leaves in its pages, read off real portals: paths, scripts, comments.
_MARKS = (
    (CmsFamily.GKMLPT, re.compile(r"/gkmlpt/|window\._CONFIG")),
    (CmsFamily.HANWEB, re.compile(r"大汉|/col/col\d+/|dataproxy\.jsp|jpage|/jsearchfront/")),
    (CmsFamily.TRS, re.compile(r"createPageHTML|TRS_Editor|/was5/|/t\d{8}_\d+\.s?html?")),
)


def fingerprint(html: str) -> CmsFamily:
    """The first family whose marks the page shows; generic when none does."""
    for family, marks in _MARKS:
        if marks.search(html):
            return family
    return CmsFamily.GENERIC
