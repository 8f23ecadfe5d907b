"""What an uploaded file really is, checked before it is stored: images are decoded, PDFs are parsed, and
nothing may follow a format's own end (a PNG with an HTML page or a zip after IEND is two files in one, a
"polyglot", and is refused).

- Images (JPEG, PNG, WebP, GIF): decoded with Pillow, every frame, under a pixel budget (`MAX_IMAGE_PIXELS`,
  width × height summed over frames) that is checked from the header before any pixel is decoded, so a
  100000 × 100000 PNG costs nothing. The format Pillow finds must be the one the magic bytes claimed.
- PDFs: parsed with pypdf; any object (object streams included) carrying active content (JavaScript, an open
  action, additional actions, a launch action) is refused; the raw bytes outside streams are scanned too, with
  #xx name escapes decoded, for objects a damaged cross-reference table would hide from the parser.
- MP4: its top-level boxes must account for exactly the whole file.

Each check raises `InvalidUpload` (422) with a message saying what was wrong.
"""

from __future__ import annotations

import io
import re
import warnings

from PIL import Image, ImageSequence
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, IndirectObject, NameObject

from core.errors import InvalidInput

_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
ACTIVE_PDF_KEYS = ("/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch")
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}
# A PDF name ends at whitespace or a delimiter; `#xx` escapes are decoded before matching.
_RAW_ACTIVE = re.compile(rb"/(?:JavaScript|JS|OpenAction|AA|Launch)(?=[\s/<>\[\]()%{}]|$)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Stream bodies are left out of the raw scan: compressed bytes would match those short names by chance.
_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


class InvalidUpload(InvalidInput):
    code = "invalid_file"


def check_upload(data: bytes, content_type: str, *, max_pixels: int) -> None:
    if content_type in _PILLOW_FORMATS:
        check_image(data, content_type, max_pixels=max_pixels)
    elif content_type == "application/pdf":
        check_pdf(data)
    elif content_type == "video/mp4":
        if _mp4_end(data) != len(data):
            raise InvalidUpload("the MP4 file's boxes do not add up to the file (damaged, or other data appended)")


# ------------------------------------------------------------------ images


def check_image(data: bytes, content_type: str, *, max_pixels: int) -> None:
    expected = _PILLOW_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                if width * height * frames > max_pixels:
                    raise InvalidUpload(
                        f"the image is {width} × {height} px"
                        + (f" × {frames} frames" if frames > 1 else "")
                        + f"; at most {max_pixels:,} pixels are accepted",
                        code="image_too_large", details={"max_pixels": max_pixels})
                for frame in ImageSequence.Iterator(image):
                    frame.load()  # decode every pixel: a header alone proves nothing
    except InvalidUpload:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # Pillow's own, larger bound
        raise InvalidUpload(f"the image is too large; at most {max_pixels:,} pixels are accepted",
                            code="image_too_large", details={"max_pixels": max_pixels}) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise InvalidUpload(f"the file is not a readable {expected} image ({exc})") from exc
    try:
        end = _image_end(data, content_type)
    except IndexError:  # the structure runs past the end of the file
        end = None
    if end is None or end > len(data):
        raise InvalidUpload(f"the {expected} image is truncated or malformed")
    if data[end:].strip(b"\x00"):  # zero padding after the end is harmless (some cameras write it)
        raise InvalidUpload(f"{len(data) - end:,} bytes of other data follow the end of the {expected} image",
                            code="trailing_data")


def _image_end(data: bytes, content_type: str) -> int | None:
    """Offset just past the image's own end marker, found by walking the format's structure."""
    if content_type == "image/png":
        return _png_end(data)
    if content_type == "image/jpeg":
        return _jpeg_end(data)
    if content_type == "image/gif":
        return _gif_end(data)
    size = int.from_bytes(data[4:8], "little")  # WebP: a RIFF container states its own length
    return 8 + size + (size & 1)


def _png_end(data: bytes) -> int | None:
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position if position <= len(data) else None
    return None


def _jpeg_end(data: bytes) -> int | None:
    position = 2  # after SOI
    size = len(data)
    while position + 1 < size:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:  # EOI
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        position += 2 + int.from_bytes(data[position + 2:position + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= size:
                    return None
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    position += 1 if following == 0xFF else 2
                    continue
                break
    return None


def _gif_end(data: bytes) -> int | None:
    def skip_sub_blocks(position: int) -> int:
        while position < len(data) and data[position]:
            position += 1 + data[position]
        return position + 1

    position = 13
    if data[10] & 0x80:  # global colour table
        position += 3 * 2 ** ((data[10] & 0x07) + 1)
    while position < len(data):
        block = data[position]
        if block == 0x3B:  # trailer
            return position + 1
        if block == 0x21:  # extension: label, then sub-blocks
            position = skip_sub_blocks(position + 2)
        elif block == 0x2C:  # image descriptor, optional local colour table, LZW code size, sub-blocks
            flags = data[position + 9] if position + 9 < len(data) else 0
            position += 10 + (3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else 0)
            position = skip_sub_blocks(position + 1)
        else:
            return None
    return None


def _mp4_end(data: bytes) -> int | None:
    position = 0
    while position + 8 <= len(data):
        size = int.from_bytes(data[position:position + 4], "big")
        if size == 1:  # 64-bit size follows the type
            size = int.from_bytes(data[position + 8:position + 16], "big")
        elif size == 0:  # the last box runs to the end of the file
            return len(data)
        if size < 8:
            return None
        position += size
    return position if position == len(data) else None


# ------------------------------------------------------------------ PDFs


def check_pdf(data: bytes) -> None:
    outside_streams = _STREAM_BODY.sub(b"stream endstream", data)
    unescaped = _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), outside_streams)
    if _RAW_ACTIVE.search(unescaped) or _active_pdf_objects(data):
        raise InvalidUpload("PDFs with active content (JavaScript, open or additional actions, launch actions) are "
                            "not accepted; export or print the document to a plain PDF and upload that",
                            code="pdf_active_content", details={"refused": list(ACTIVE_PDF_KEYS)})


def _active_pdf_objects(data: bytes) -> bool:
    """True when any object (compressed object streams included) carries an active-content key or action."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InvalidUpload("encrypted PDFs are not accepted", code="pdf_encrypted")
        numbers = {(number, generation) for generation, entries in reader.xref.items() for number in entries}
        numbers |= {(number, 0) for number in reader.xref_objStm}
        objects = [reader.trailer] + [reader.get_object(IndirectObject(n, g, reader)) for n, g in sorted(numbers)]
    except InvalidUpload:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise InvalidUpload(f"the file is not a readable PDF ({exc})", code="pdf_unreadable") from exc
    for found in objects:
        stream_dict = found if isinstance(found, DictionaryObject) else None
        if stream_dict is None:
            continue
        if any(NameObject(key) in stream_dict for key in ACTIVE_PDF_KEYS):
            return True
        if stream_dict.get("/S") in _ACTIVE_ACTIONS:
            return True
    return False
