"""Share images: every published article has a 1,200 x 630 picture for links shared on social sites
(og:image): its hero cropped to that shape, or a card drawn with Pillow from its title, its author's
pseudonym and the site's name. Made once the save that changed one of these is committed, never
while a reader waits; the previous one is deleted then."""

import hashlib
from functools import partial
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_save
from PIL import Image, ImageDraw, ImageFont

from authors.files import delete_after_commit
from authors.renditions import RenditionSpec
from pagecache import registry

CARD_WIDTH, CARD_HEIGHT = 1200, 630  # the size Facebook, LinkedIn and X show large
SITE_NAME = "fibrosite"
# Debian's fonts-dejavu-core (installed by .ci/run); Pillow's own font when it is missing.
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
BACKGROUND, ACCENT, INK, MUTED = "#f6f1ea", "#7a3e65", "#1f1a17", "#5b524c"
MARGIN = 90


def card_key(title, pseudonym, hero_name):
    """What a share image is made from, as a fingerprint: it changes when the image must."""
    parts = ("hero", hero_name) if hero_name else ("drawn", title, pseudonym, SITE_NAME)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def font(size, bold=False):
    try:
        return ImageFont.truetype(str(FONT_FOLDER / f"DejaVuSans{'-Bold' if bold else ''}.ttf"), size)
    except OSError:
        return ImageFont.load_default(size)


def draw_card(title, pseudonym):
    """JPEG bytes of a drawn card: the title (as large as fits in four lines), the byline, the site's name."""
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, CARD_HEIGHT), fill=ACCENT)
    size, lines = _fit(title)
    title_font, y = font(size, bold=True), 90
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += round(size * 1.25)
    draw.text((MARGIN, y + 30), f"by {pseudonym}", font=font(36), fill=MUTED)
    draw.text((MARGIN, CARD_HEIGHT - 100), SITE_NAME, font=font(40, bold=True), fill=ACCENT)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _fit(title, sizes=(68, 56, 46, 38), most_lines=4):
    """(font size, lines): the title at the largest size that wraps it in `most_lines` lines."""
    for size in sizes:
        lines = _wrap(title, font(size, bold=True))
        if len(lines) <= most_lines:
            return size, lines
    return size, [*lines[: most_lines - 1], lines[most_lines - 1] + " …"]


def _wrap(text, text_font):
    width = CARD_WIDTH - 2 * MARGIN
    lines = []
    for word in text.split():
        if lines and text_font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)  # a word longer than the line overflows it: the card is cut, not broken
    return lines or [""]


def hero_card(storage, hero_name):
    """JPEG bytes of the hero `hero_name` cropped at its centre to the card's shape."""
    with storage.open(hero_name, "rb") as source:
        return RenditionSpec(source, CARD_WIDTH, CARD_HEIGHT, "JPEG").generate().read()


def refresh_share_image(article_pk):
    """Make a published article's share image again if what it shows changed, or delete that of an
    article no longer published; delete the previous one."""
    from articles.models import Article

    articles = Article.objects.filter(pk=article_pk)
    fields = ("status", "title", "author__pseudonym", "hero_image", "share_image", "share_image_key")
    row = articles.values(*fields).first()
    if row is None:
        return
    field = Article._meta.get_field("share_image")
    if row["status"] != Article.Status.PUBLISHED:
        name = key = ""
    else:
        key = card_key(row["title"], row["author__pseudonym"], row["hero_image"])
        current = row["share_image"] and key == row["share_image_key"]
        if current and field.storage.exists(row["share_image"]):  # gone if a stale row was saved back
            return
        if row["hero_image"]:
            content = hero_card(field.storage, row["hero_image"])
        else:
            content = draw_card(row["title"], row["author__pseudonym"])
        name = field.storage.save(field.generate_filename(None, "card.jpg"), ContentFile(content))
    if name != row["share_image"]:
        registry.update(articles, share_image=name, share_image_key=key)  # its page shows it: touched
    if row["share_image"] and name != row["share_image"]:
        delete_after_commit(field.storage, row["share_image"])


def refresh_after_commit(article_pks, using=None):
    for pk in article_pks:
        # robust: a failure leaves the previous image, and `make_pictures` to try again.
        transaction.on_commit(partial(refresh_share_image, pk), using=using, robust=True)


def article_saved(sender, instance, raw=False, using=None, **kwargs):
    """A published (or scheduled) article's save may change its share image, an unpublished one's
    deletes it: see to it once committed."""
    if not raw and (instance.status == sender.Status.PUBLISHED or instance.share_image):
        refresh_after_commit([instance.pk], using)


def author_saved(sender, instance, raw=False, using=None, **kwargs):
    """A drawn card shows the pseudonym: check the author's published articles once committed."""
    if raw:
        return
    shown = instance.articles.filter(status=instance.articles.model.Status.PUBLISHED, hero_image="")
    refresh_after_commit(list(shown.values_list("pk", flat=True)), using)


def connect():
    from articles.models import Article
    from authors.models import Author

    post_save.connect(article_saved, sender=Article, dispatch_uid="share-image-article")
    post_save.connect(author_saved, sender=Author, dispatch_uid="share-image-author")
