"""The kinds of file a report page links, by file-name extension (lower case, no dot)."""

from __future__ import annotations

# Documents a report is published as. WPS files are Word 97–2003 documents, the format WPS
# Office writes them in; OFD is the Chinese fixed-layout format (GB/T 33190).
DOCUMENT_KINDS = ("pdf", "doc", "docx", "wps", "ofd")
# Scanned reports, read by OCR.
IMAGE_KINDS = ("jpg", "jpeg", "png", "tif", "tiff")
# Kinds we can fetch and read.
READABLE_KINDS = DOCUMENT_KINDS + IMAGE_KINDS
# Downloads that are files, not pages, but never a report's text (tables, archives).
OTHER_FILE_KINDS = ("xls", "xlsx", "zip", "rar")
# What a page may offer for download: documents and the other files beside them.
DOWNLOAD_KINDS = DOCUMENT_KINDS + OTHER_FILE_KINDS


def suffixes(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds as file-name endings, for str.endswith: (".pdf", ".doc", …)."""
    return tuple(f".{kind}" for kind in kinds)


def is_file_of(path: str, kinds: tuple[str, ...]) -> bool:
    """True when a URL path names a file of one of the kinds (any letter case)."""
    return path.lower().endswith(suffixes(kinds))
