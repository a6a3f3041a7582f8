"""Text of scanned reports by OCR on this machine: the page images of a PDF without a text layer,
or an image file, read by RapidOCR with the ONNX models shipped inside its wheel (no network)."""

from __future__ import annotations

import functools
import io
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

# Decoded pages are kept to this many pixels on the long side: A4 at 200 dpi, more than the
# detector looks at (it scales to 2000) and small enough that a poster-sized scan is cheap.
MAX_IMAGE_SIDE = 2400
# A line read with a lower score is noise (stamps, seals, table rules), not text.
MIN_LINE_SCORE = 0.5
# Lines whose tops lie within this fraction of a line's height are on one printed line.
SAME_LINE_TOLERANCE = 0.5


class OcrFailed(ValueError):
    """The images could not be decoded or recognised."""


@dataclass(frozen=True)
class OcrText:
    """Recognised text, one page per entry; confidence is the mean score of the lines kept."""

    pages: tuple[str, ...]
    confidence: float


@functools.cache
def _engine() -> Any:
    """One engine per process (loading the models takes a second). The 180-degree line
    classifier stays off: on upright scans it flips long lines and they come out empty."""
    from rapidocr_onnxruntime import RapidOCR  # heavy import, only where OCR is needed

    return RapidOCR(use_cls=False, text_score=MIN_LINE_SCORE)


def pdf_page_images(body: bytes, max_pages: int) -> list[Image.Image]:
    """The largest image of each of the first max_pages pages: a scanner's page image."""
    try:
        reader = PdfReader(io.BytesIO(body))
        images = []
        for page in reader.pages[:max_pages]:
            page_images = [image.image for image in page.images if image.image is not None]
            if page_images:
                images.append(max(page_images, key=lambda image: image.width * image.height))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise OcrFailed(f"unreadable PDF images: {error}") from error
    return images


def open_image(body: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(body))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise OcrFailed(f"unreadable image: {error}") from error
    return image


def recognise(images: Iterable[Image.Image]) -> OcrText:
    """OCR every image as one page; lines in reading order (top to bottom, left to right)."""
    import numpy as np

    pages: list[str] = []
    scores: list[float] = []
    for image in images:
        image = image.convert("RGB")
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        result, _ = _engine()(np.asarray(image))
        lines = reading_order(result or [])
        pages.append("\n".join(text for text, _ in lines))
        scores.extend(score for _, score in lines)
    return OcrText(tuple(pages), statistics.fmean(scores) if scores else 0.0)


def reading_order(result: list[Any]) -> list[tuple[str, float]]:
    """RapidOCR's (box, text, score) lines sorted into printed lines, left to right within one;
    pieces of one printed line are joined."""
    boxes = sorted(
        (min(y for _, y in box), min(x for x, _ in box), max(y for _, y in box), text, score)
        for box, text, score in result
        if text.strip()
    )
    lines: list[list[tuple[float, str, float]]] = []
    line_top = line_bottom = 0.0
    for top, left, bottom, text, score in boxes:
        height = max(bottom - top, 1.0)
        if lines and top - line_top <= SAME_LINE_TOLERANCE * (line_bottom - line_top or height):
            lines[-1].append((left, text, score))
            continue
        lines.append([(left, text, score)])
        line_top, line_bottom = top, bottom
    return [
        (
            "".join(text for _, text, _ in sorted(parts)),
            statistics.fmean(score for _, _, score in parts),
        )
        for parts in lines
    ]
