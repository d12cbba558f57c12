"""Renditions of a stored picture: smaller copies in WebP with a JPEG or PNG fallback, made by
django-imagekit through Django's storage API once the picture's save is committed, and never
while a reader waits. A rendition's name and size follow from its picture's name and size alone,
so pages name them without asking the storage: `articles/<id>.jpg` has `articles/<id>/960x540.webp`."""

from typing import NamedTuple

from django.core.files.base import ContentFile
from imagekit import ImageSpec
from PIL import Image
from pilkit.processors import ResizeToFill

from authors.images import ARTICLE_FOLDER, AVATAR_FOLDER, EXTENSIONS

HERO_WIDTHS = (480, 960, 1600)  # a phone, a phone at 2x or a laptop column, a wide screen at 2x
AVATAR_SIZES = (48, 96)  # shown 48 CSS pixels wide; 96 for screens of two pixels per CSS pixel
QUALITY = {"WEBP": 80, "JPEG": 82}
FORMATS = {"webp": "WEBP", "jpg": "JPEG", "png": "PNG"}  # a rendition's extension, its format


class Rendition(NamedTuple):
    name: str
    width: int
    height: int


def fallback_extension(name):
    """The fallback's extension: JPEG for a JPEG picture, PNG for one that may be transparent."""
    return "jpg" if name.rpartition(".")[2] in ("jpg", "jpeg") else "png"


def rendition_folder(name):
    """The folder of `name`'s renditions: its own name without the extension."""
    return name.rpartition(".")[0]


def source_names(rendition):
    """The picture names a rendition `rendition` may have been made from (one per stored format)."""
    folder = rendition.rpartition("/")[0]
    extensions = (*EXTENSIONS.values(), "jpeg")  # .jpeg: uploads from before names were chosen here
    return [f"{folder}.{extension}" for extension in extensions] if "/" in folder else []


def hero_sizes(width, height):
    """[(width, height)] of a hero's renditions: the HERO_WIDTHS narrower than the picture, and the
    picture's own width up to the widest (a picture is never made larger)."""
    if not width or not height:
        return []
    widths = sorted({*(w for w in HERO_WIDTHS if w < width), min(width, HERO_WIDTHS[-1])})
    return [(w, max(1, round(height * w / width))) for w in widths]


def sizes_for(name, width=None, height=None):
    """[(width, height)] of the renditions of the picture `name` (a hero's need its size)."""
    folder = name.partition("/")[0]
    if folder == ARTICLE_FOLDER:
        return hero_sizes(width, height)
    if folder == AVATAR_FOLDER:
        return [(size, size) for size in AVATAR_SIZES]
    return []


def has_renditions(name):
    """True for a picture that pages show through renditions (heroes, avatars; not share images)."""
    return name.partition("/")[0] in (ARTICLE_FOLDER, AVATAR_FOLDER)


def renditions(name, width=None, height=None):
    """{extension: [Rendition]} of the picture `name`, narrowest first: "webp" and its fallback."""
    if not name:
        return {}
    folder, fallback = rendition_folder(name), fallback_extension(name)
    sizes = sizes_for(name, width, height)
    return {
        extension: [Rendition(f"{folder}/{w}x{h}.{extension}", w, h) for w, h in sizes]
        for extension in ("webp", fallback)
    }


class RenditionSpec(ImageSpec):
    """One rendition: the picture resized to fill exactly `width` x `height` (cropped at the centre
    when the proportions differ, as for square avatars)."""

    def __init__(self, source, width, height, format):
        self.processors = [ResizeToFill(width, height)]
        self.format = format
        self.options = {"quality": QUALITY[format]} if format in QUALITY else {"optimize": True}
        super().__init__(source)


def make_renditions(storage, name, width=None, height=None):
    """Write the renditions of the stored picture `name` (replacing any), return their names."""
    made = []
    with storage.open(name, "rb") as source:
        if width is None or height is None:
            with Image.open(source) as image:  # the header only
                width, height = image.size
        for extension, sized in renditions(name, width, height).items():
            for rendition in sized:
                content = RenditionSpec(source, rendition.width, rendition.height, FORMATS[extension])
                storage.delete(rendition.name)  # a storage never overwrites: it would pick another name
                storage.save(rendition.name, ContentFile(content.generate().read()))
                made.append(rendition.name)
    return made


class ResponsivePicture(NamedTuple):
    """A stored picture as pages show it: its name, size and description."""

    name: str
    width: int | None
    height: int | None
    alt: str = ""

    def renditions(self):
        return renditions(self.name, self.width, self.height)
