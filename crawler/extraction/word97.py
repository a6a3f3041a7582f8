"""Text of Word 97–2003 binary files (.doc, and .wps saved in that format), via the piece table.

The layout follows Microsoft's [MS-DOC] specification: the File Information Block at the start
of the WordDocument stream points to the piece table (Clx) in the table stream, and each piece
says where a run of the document's characters sits and whether it is 8-bit or UTF-16.
"""

from __future__ import annotations

import io
import re
import struct

import olefile

WORD_MAGIC = 0xA5EC
# Offsets into the FIB: flags word, and fcClx/lcbClx in FibRgFcLcb97 (entry 33, 8 bytes each)
# after the 32-byte base, csw + 14 words, cslw + 22 longs and cbRgFcLcb.
FIB_FLAGS_OFFSET = 0x0A
WHICH_TABLE_FLAG = 0x0200
CLX_OFFSET = 32 + 2 + 28 + 2 + 88 + 2 + 33 * 8
COMPRESSED_FLAG = 0x40000000
# Paragraph/cell/page marks become line breaks; field instructions (between 0x13 and 0x14)
# and the remaining control characters are not text.
FIELD_INSTRUCTION_RE = re.compile(r"\x13[^\x13\x14\x15]*\x14|\x13[^\x13\x14\x15]*\x15")
BREAKS_RE = re.compile(r"[\r\x07\x0b\x0c]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")


class WordFormatError(ValueError):
    """Not a Word 97–2003 file, or one whose structures do not hold together."""


def read_word97(body: bytes) -> str:
    """The plain text of a Word 97–2003 document, paragraphs separated by newlines."""
    if not olefile.isOleFile(io.BytesIO(body)):
        raise WordFormatError("not an OLE compound file")
    with olefile.OleFileIO(io.BytesIO(body)) as ole:
        if not ole.exists("WordDocument"):
            raise WordFormatError("no WordDocument stream")
        document = _read_stream(ole, "WordDocument", len(body))
        magic, flags = _unpack("<H", document, 0)[0], _unpack("<H", document, FIB_FLAGS_OFFSET)[0]
        if magic != WORD_MAGIC:
            raise WordFormatError(f"unexpected FIB magic {magic:#x}")
        table_name = "1Table" if flags & WHICH_TABLE_FLAG else "0Table"
        if not ole.exists(table_name):
            raise WordFormatError(f"no {table_name} stream")
        table = _read_stream(ole, table_name, len(body))
    fc_clx, lcb_clx = _unpack("<II", document, CLX_OFFSET)
    pieces = _piece_table(table[fc_clx : fc_clx + lcb_clx])
    return _clean("".join(_piece_text(document, *piece) for piece in pieces))


def _read_stream(ole: olefile.OleFileIO, name: str, file_size: int) -> bytes:
    """An OLE stream, refused when it declares more bytes than the whole file holds: OLE does
    not compress, so such a size is a lie that would make olefile chase a sector chain."""
    size = ole.get_size(name)
    if size > file_size:
        raise WordFormatError(f"{name} stream declares {size} bytes in a file of {file_size}")
    return bytes(ole.openstream(name).read())


def _unpack(layout: str, data: bytes, offset: int) -> tuple[int, ...]:
    try:
        return struct.unpack_from(layout, data, offset)
    except struct.error as error:
        raise WordFormatError(f"truncated structure at {offset}: {error}") from error


def _piece_table(clx: bytes) -> list[tuple[int, int, bool]]:
    """(file offset, character count, is 8-bit) for every piece, in document order."""
    position = 0
    while position < len(clx) and clx[position] == 0x01:  # Prc: formatting, skipped
        position += 3 + _unpack("<H", clx, position + 1)[0]
    if position >= len(clx) or clx[position] != 0x02:
        raise WordFormatError("no piece table in Clx")
    size = _unpack("<I", clx, position + 1)[0]
    plc = clx[position + 5 : position + 5 + size]
    count = (len(plc) - 4) // 12  # n+1 character positions of 4 bytes, n descriptors of 8
    if count <= 0:
        raise WordFormatError("empty piece table")
    positions = [_unpack("<I", plc, 4 * i)[0] for i in range(count + 1)]
    pieces = []
    for i in range(count):
        fc = _unpack("<I", plc, 4 * (count + 1) + 8 * i + 2)[0]
        compressed = bool(fc & COMPRESSED_FLAG)
        offset = (fc & ~COMPRESSED_FLAG) // 2 if compressed else fc
        pieces.append((offset, positions[i + 1] - positions[i], compressed))
    return pieces


def _piece_text(document: bytes, offset: int, chars: int, compressed: bool) -> str:
    if compressed:
        return document[offset : offset + chars].decode("cp1252", "replace")
    return document[offset : offset + 2 * chars].decode("utf-16-le", "replace")


def _clean(text: str) -> str:
    text = FIELD_INSTRUCTION_RE.sub("", text)
    text = CONTROL_RE.sub("", BREAKS_RE.sub("\n", text.replace("\x15", "")))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
