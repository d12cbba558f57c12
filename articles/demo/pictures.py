"""Pictures for the demo content, drawn with Pillow (nothing downloaded): a few calm scenes for
heroes and a coloured initial for each author's avatar."""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from articles.share_cards import font

HERO_SIZE = (1800, 1000)
AVATAR_COLOURS = ("#7a3e65", "#2f6f73", "#8a5a2b", "#4b5d8f", "#5f7a3a")


def _sky(top, bottom):
    image = Image.new("RGB", HERO_SIZE, top)
    draw = ImageDraw.Draw(image)
    width, height = HERO_SIZE
    for y in range(height):  # a vertical gradient, one line at a time
        mix = y / height
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(_rgb(top), _rgb(bottom), strict=True))
        draw.line((0, y, width, y), fill=colour)
    return image, draw


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def pool():
    image, draw = _sky("#bfe3ea", "#2d7f95")
    for row in range(8):  # ripples
        y = 420 + row * 70
        for x in range(-100, HERO_SIZE[0], 240):
            draw.arc((x, y, x + 220, y + 60), 200, 340, fill="#e8f7fa", width=6)
    return image


def night():
    image, draw = _sky("#1d2340", "#4b4f7d")
    draw.ellipse((1300, 140, 1480, 320), fill="#f4ecd0")
    draw.ellipse((1350, 120, 1530, 300), fill="#1f2644")  # a crescent
    for x, y in ((200, 150), (420, 300), (700, 120), (950, 260), (1150, 90), (1650, 420)):
        draw.ellipse((x, y, x + 8, y + 8), fill="#f4ecd0")
    draw.rectangle((0, 820, HERO_SIZE[0], HERO_SIZE[1]), fill="#151a30")
    return image


def hills():
    image, draw = _sky("#f7d9b5", "#f3efe6")
    draw.ellipse((760, 260, 1040, 540), fill="#f2b36b")  # the sun
    draw.polygon(
        [(0, 700), (500, 480), (1000, 690), (1400, 520), (1800, 660), (1800, 1000), (0, 1000)], "#9bb08a"
    )
    draw.polygon([(0, 820), (600, 640), (1200, 830), (1800, 700), (1800, 1000), (0, 1000)], "#6f8a63")
    return image


# slug: (drawing, its description for readers who cannot see it)
HEROES = {
    "warm-water-slow-steps-what-pool-exercise-did-for-my-pain": (
        pool,
        "Drawing of gentle ripples on warm blue water.",
    ),
    "small-changes-that-helped-my-sleep": (
        night,
        "Drawing of a crescent moon and stars over a dark horizon.",
    ),
    "tai-chi-and-breathing-finding-calm-on-tired-days": (
        hills,
        "Drawing of a low sun rising over soft green hills.",
    ),
}


def hero_for(slug):
    """{"hero_image": a drawn picture, "hero_alt": its description} for a demo article, or {}."""
    if slug not in HEROES:
        return {}
    draw, alt = HEROES[slug]
    return {"hero_image": _encoded(draw(), "JPEG", "hero.jpg"), "hero_alt": alt}


def avatar_for(pseudonym):
    """A drawn avatar: the pseudonym's initial on a coloured disc."""
    image = Image.new("RGB", (256, 256), "#f6f1ea")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 248, 248), fill=AVATAR_COLOURS[sum(map(ord, pseudonym)) % len(AVATAR_COLOURS)])
    draw.text((128, 132), pseudonym[:1].upper(), font=font(130, bold=True), fill="#ffffff", anchor="mm")
    return _encoded(image, "PNG", "avatar.png")


def _encoded(image, format, name):
    buffer = BytesIO()
    image.save(buffer, format=format)
    return ContentFile(buffer.getvalue(), name=name)
