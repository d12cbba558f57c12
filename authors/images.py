"""Picture fields (author avatars, article hero images): an upload is checked before it is decoded,
re-encoded from its pixels alone (upright, first frame, no GPS, camera, text or XMP metadata) and
stored under a random name (an upload's own name, "jane_smith.jpg", can give a person away)."""

import uuid
import warnings
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo decodes to 120 MB (160 MB with transparency)
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}  # the formats accepted
AVATAR_FOLDER, ARTICLE_FOLDER, CARD_FOLDER = "avatars", "articles", "cards"  # cards: articles' share images
PICTURE_FOLDERS = (AVATAR_FOLDER, ARTICLE_FOLDER, CARD_FOLDER)

UNREADABLE = "This picture could not be read. Please upload a JPEG, PNG, WebP or GIF."
TOO_HEAVY = "This picture is larger than 10 MB. Please upload a smaller one."
TOO_MANY_PIXELS = "This picture has more than 40 megapixels. Please upload a smaller one."

# Pillow warns above this many pixels and refuses twice as many; the warning is a refusal too.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)


class Picture(ContentFile):
    """A picture already checked and re-encoded: saving it again does not read it again."""


def clean_picture(upload):
    """Return `upload` re-encoded as a Picture, or raise ValidationError; its size, format and
    pixel count are checked from the header, before any pixel is decoded."""
    if isinstance(upload, Picture):
        return upload
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_HEAVY, code="picture_too_large")
    try:
        upload.seek(0)
        with Image.open(upload, formats=tuple(EXTENSIONS)) as image:  # reads the header only
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS, code="picture_too_many_pixels")
            image.verify()  # checksums, without decoding (a PNG's CRCs)
        upload.seek(0)
        with Image.open(upload, formats=tuple(EXTENSIONS)) as image:
            stored_as = "JPEG" if image.format == "MPO" else image.format  # MPO: a camera's JPEG
            image.load()  # the first frame only: an animation is stored as a still picture
            content = _without_metadata(image, stored_as)
            dimensions = image.size  # upright
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(TOO_MANY_PIXELS, code="picture_too_many_pixels") from error
    except ValidationError:
        raise
    except Exception as error:  # Pillow reports broken files with many kinds of exception
        raise ValidationError(UNREADABLE, code="invalid_image") from error
    picture = Picture(content, name=f"picture.{EXTENSIONS[stored_as]}")
    picture.dimensions = dimensions
    return picture


def _without_metadata(image, stored_as):
    ImageOps.exif_transpose(image, in_place=True)  # in place: no second copy of the pixels
    # Only transparency is kept: EXIF (GPS, camera), PNG text chunks, XMP and ICC comments go.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    buffer = BytesIO()
    image.save(buffer, format=stored_as)
    return buffer.getvalue()


def new_folder_name():
    """A random folder name for one author's pictures: it says nothing about who they are."""
    return uuid.uuid4().hex


def avatar_path(instance, filename):
    folder = f"{AVATAR_FOLDER}/{instance.picture_folder}" if instance.picture_folder else AVATAR_FOLDER
    return f"{folder}/{uuid.uuid4().hex}.{filename.rpartition('.')[2]}"


def article_picture_path(instance, filename):
    # Not in the author's folder: a kept article's picture must not lead back to a taken-down author.
    return f"{ARTICLE_FOLDER}/{uuid.uuid4().hex}.{filename.rpartition('.')[2]}"


def card_path(instance, filename):
    return f"{CARD_FOLDER}/{uuid.uuid4().hex}.{filename.rpartition('.')[2]}"


class PictureFormField(forms.ImageField):
    """A form field whose cleaned value is the re-encoded Picture; anything else is a form error."""

    default_validators = []  # the format is read from the content, never from the name
    default_error_messages = {"invalid_image": UNREADABLE, "empty": UNREADABLE}

    def to_python(self, data):
        # Not ImageField.to_python: it would open the file without our limits.
        upload = forms.FileField.to_python(self, data)
        return None if upload is None else clean_picture(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        return attrs


class MetadataFreeImageField(models.ImageField):
    """An ImageField whose new files are checked and stored without metadata (see clean_picture)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureFormField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.file = clean_picture(file.file)  # already a Picture when it came through a form
            file.name = file.file.name
            self._store_dimensions(model_instance, getattr(file.file, "dimensions", (None, None)))
        elif not file:
            self._store_dimensions(model_instance, (None, None))
        return super().pre_save(model_instance, add)

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        """Nothing: ImageField would open the stored file to learn its size whenever a row without
        one is loaded (a missing file would break the page); the size is stored on upload instead."""

    def _store_dimensions(self, instance, dimensions):
        # Read by the fields declared after this one, so stored by the same INSERT or UPDATE.
        for field_name, value in zip((self.width_field, self.height_field), dimensions, strict=True):
            if field_name:
                setattr(instance, field_name, value)
