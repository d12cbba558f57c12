"""Responsive pictures: <picture> with a WebP srcset, its JPEG or PNG fallback, and the size of the
picture, so that the page does not move as it loads. Names the renditions made when the picture
was saved (authors/renditions.py); never makes, opens or looks for a file. Also the author
index's items, each with its avatar.

Written here rather than in an included template: list pages show ten to fifty pictures, and an
included template cost about ten times as much per picture. Every value is escaped (`escape`).
"""

from html import escape

from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import mark_safe

from authors.renditions import AVATAR_SIZES, rendition_folder, renditions

register = template.Library()


def rendition_urls(name, sized):
    """{rendition name: URL} of the renditions `sized` of the picture `name`: one storage call for
    their folder (a rendition's name adds only digits, an "x" and an extension to it), or one each
    where the storage signs its URLs (the folder's URL then does not end with a slash)."""
    folder = default_storage.url(rendition_folder(name) + "/")
    if folder.endswith("/"):
        return {r.name: folder + r.name.rpartition("/")[2] for r in sized}
    return {r.name: default_storage.url(r.name) for r in sized}


def _srcset(urls, sized, descriptor):
    return escape(", ".join(f"{urls[r.name]} {descriptor(r)}" for r in sized))


@register.simple_tag
def picture(image, sizes, css_class, largest=None, eager=False, priority=False):
    """`image` (a ResponsivePicture) in a <picture>; `sizes` its width on the page. Below the fold
    unless `eager` (loaded lazily), or `priority`: the page's main picture, fetched first."""
    loading = (' fetchpriority="high"' if priority else "") + ("" if eager or priority else ' loading="lazy"')
    css_class, described = escape(css_class), f'alt="{escape(image.alt)}"{loading} decoding="async"'
    webp, fallback = renditions(image.name, image.width, image.height).values()
    if not fallback:  # its size was never stored (a row from before renditions): the picture alone
        return mark_safe(
            f'<picture><img class="{css_class}" src="{escape(default_storage.url(image.name))}" {described}>'
            "</picture>"
        )
    if largest:
        webp, fallback = _up_to(webp, largest), _up_to(fallback, largest)
    urls, largest_made, sizes = rendition_urls(image.name, webp + fallback), fallback[-1], escape(sizes)
    return mark_safe(
        f'<picture><source type="image/webp" srcset="{_srcset(urls, webp, _width)}" sizes="{sizes}">'
        f'<img class="{css_class}" src="{escape(urls[largest_made.name])}" srcset="{_srcset(urls, fallback, _width)}" '
        f'sizes="{sizes}" width="{largest_made.width}" height="{largest_made.height}" {described}></picture>'
    )


def _width(rendition):
    return f"{rendition.width}w"


def _up_to(sized, largest):
    return [r for r in sized if r.width <= largest] or sized[:1]


@register.simple_tag
def avatar(author, lazy=False):
    """The author's picture, 48 CSS pixels square in one and two device pixels per CSS pixel,
    described by the pseudonym; without one, the pseudonym's initial (hidden from screen readers:
    the pseudonym follows it)."""
    if not author.avatar:
        initial = escape(author.pseudonym[:1].upper())
        return mark_safe(f'<span class="avatar avatar-initial" aria-hidden="true">{initial}</span>')
    name = author.avatar.name
    webp, fallback = renditions(name).values()
    urls, size = rendition_urls(name, webp + fallback), AVATAR_SIZES[0]
    density = {px: f"{index + 1}x" for index, px in enumerate(AVATAR_SIZES)}
    loading = ' loading="lazy"' if lazy else ""
    return mark_safe(
        f'<picture><source type="image/webp" srcset="{_srcset(urls, webp, lambda r: density[r.width])}">'
        f'<img class="avatar" src="{escape(urls[fallback[0].name])}" '
        f'srcset="{_srcset(urls, fallback, lambda r: density[r.width])}" alt="{escape(author.pseudonym)}" '
        f'width="{size}" height="{size}"{loading}></picture>'
    )


@register.simple_tag
def author_items(authors):
    """The <li> items of the author index: each author's avatar (loaded lazily), pseudonym linked
    to the profile, and number of published articles (`article_count`)."""
    return mark_safe(
        "".join(
            f'<li>{avatar(author, lazy=True)} <a href="{escape(author.get_absolute_url())}">'
            f'{escape(author.pseudonym)}</a> <span class="count">{author.article_count} '
            f"article{'' if author.article_count == 1 else 's'}</span></li>"
            for author in authors
        )
    )
