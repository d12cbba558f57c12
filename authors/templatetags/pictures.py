"""Responsive pictures: <picture> with a WebP srcset, its JPEG or PNG fallback, and the size of the
picture, so that the page does not move as it loads. Names the renditions made when the picture
was saved (authors/renditions.py); never makes, opens or looks for a file."""

from django import template
from django.core.files.storage import default_storage

from authors.renditions import AVATAR_SIZES, renditions

register = template.Library()


def _srcset(sized, descriptor):
    return ", ".join(f"{default_storage.url(r.name)} {descriptor(r)}" for r in sized)


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes, css_class="", largest=None, eager=False, priority=False):
    """`image` (a ResponsivePicture) in a <picture>; `sizes` its width on the page. Below the fold
    unless `eager` (loaded lazily), or `priority`: the page's main picture, fetched first."""
    shown = {"alt": image.alt, "css_class": css_class, "lazy": not (eager or priority), "priority": priority}
    webp, fallback = renditions(image.name, image.width, image.height).values()
    if not fallback:  # its size was never stored (a row from before renditions): the picture alone
        return {**shown, "src": default_storage.url(image.name)}
    if largest:
        webp, fallback = _up_to(webp, largest), _up_to(fallback, largest)
    return {
        **shown,
        "webp_srcset": _srcset(webp, lambda r: f"{r.width}w"),
        "srcset": _srcset(fallback, lambda r: f"{r.width}w"),
        "sizes": sizes,
        "src": default_storage.url(fallback[-1].name),
        "width": fallback[-1].width,
        "height": fallback[-1].height,
    }


def _up_to(sized, largest):
    return [r for r in sized if r.width <= largest] or sized[:1]


@register.simple_tag
def avatar_sources(name):
    """{"webp": srcset, "fallback": srcset, "src": url, "size": shown size} of an avatar's squares,
    for one and two device pixels per CSS pixel."""
    webp, fallback = renditions(name).values()
    density = {size: f"{index + 1}x" for index, size in enumerate(AVATAR_SIZES)}
    return {
        "webp": _srcset(webp, lambda r: density[r.width]),
        "fallback": _srcset(fallback, lambda r: density[r.width]),
        "src": default_storage.url(fallback[0].name),
        "size": AVATAR_SIZES[0],
    }
