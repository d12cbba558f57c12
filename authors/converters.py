import re

# What django.utils.text.slugify(allow_unicode=True) and taggit produce: letters of any script,
# digits, "_" and "-". Anything else (spaces, markup, NUL bytes) never reaches the database.
SLUG_PATTERN = r"[-\w]+"
SLUG_RE = re.compile(SLUG_PATTERN)


class UnicodeSlugConverter:
    """A `<uslug:...>` URL part: a slug in any script."""

    regex = SLUG_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
