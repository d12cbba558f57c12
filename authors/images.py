"""Image fields that drop photo metadata (GPS position, camera, dates) before the file is stored,
under a random name (an upload's own name, "jane_smith.jpg", can give a person away)."""

import uuid
from io import BytesIO
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps


def without_metadata(upload):
    """Return a copy of an uploaded image re-encoded from its pixels alone, upright, with no EXIF."""
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        upright = ImageOps.exif_transpose(image)
        upright.info.clear()  # PNG text chunks, ICC comments, XMP
        buffer = BytesIO()
        upright.save(buffer, format=image_format)
    return ContentFile(buffer.getvalue(), name=upload.name)


def random_name(folder, filename):
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def avatar_path(instance, filename):
    return random_name("avatars", filename)


def article_picture_path(instance, filename):
    return random_name("articles", filename)


class MetadataFreeImageField(models.ImageField):
    """An ImageField whose newly uploaded files are stored without their metadata."""

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.file = without_metadata(file.file)
        return super().pre_save(model_instance, add)
