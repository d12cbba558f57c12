"""Picture files for the upload tests: good ones, broken ones and a decompression bomb."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def picture(fmt="PNG", size=(40, 20), colour="teal", **save_options):
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def noisy_jpeg(size=(300, 200)):
    buffer = BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(content, name="picture.png"):
    return SimpleUploadedFile(name, content)


def photo_with_gps(fmt="JPEG"):
    """A photo whose EXIF holds a GPS position, a camera make and a sideways orientation."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotated, so the stored image must be turned upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    return picture(fmt, exif=exif)


def animation(fmt="GIF"):
    """Three frames: red, green, blue."""
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
    buffer = BytesIO()
    frames[0].save(buffer, format=fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width=12_000, height=12_000):
    """A valid one-colour RGB PNG of width by height pixels, about 420 KB at 12,000 by 12,000, built
    row by row so that the test never holds its pixels."""
    compressor, row, idat = zlib.compressobj(9), b"\0" * (1 + 3 * width), []
    for _ in range(height):
        idat.append(compressor.compress(row))
    idat.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(idat))
        + _chunk(b"IEND", b"")
    )


def png_with_bad_crc():
    data = bytearray(picture("PNG"))
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4 : idat])[0]
    data[idat + 4 + length] ^= 0xFF  # the first byte of the IDAT chunk's CRC
    return bytes(data)


XPM = b"""/* XPM */
static char *dot[] = {
"2 2 1 1",
"a c #FF0000",
"aa",
"aa"};
"""

UNREADABLE_FILES = {
    "xpm": ("dot.xpm", XPM),
    "truncated jpeg": ("holiday.jpg", noisy_jpeg()[:8000]),
    "garbage named .jpg": ("photo.jpg", b"not a picture at all, only words" * 10),
    "png with a bad crc": ("pool.png", png_with_bad_crc()),
    "zero bytes": ("empty.png", b""),
    "svg": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "pdf": ("scan.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
    "bmp": ("old.bmp", picture("BMP")),
    "tiff": ("scan.tiff", picture("TIFF")),
}
