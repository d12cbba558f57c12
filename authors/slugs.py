from django.utils.text import slugify


def unique_slug(instance, text, fallback):
    """Return a slug for `text` (any script) not yet used by another row of the instance's model."""
    base = slugify(text, allow_unicode=True)[:90] or fallback
    taken = set(
        type(instance)
        ._default_manager.filter(slug__startswith=base)
        .exclude(pk=instance.pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
