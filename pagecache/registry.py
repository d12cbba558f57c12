"""What each change makes stale, declared in one place by the apps (in their `ready()`).

`invalidates(Model, keys, fields=...)`: on every save or delete of a Model row, `keys(row, before,
after)` names the dependency keys it touches. `before` and `after` hold the row's `fields` as
stored before and after the change (None where the row did not exist). A bulk `QuerySet.update()`
goes through `update(queryset, **changes)`, any other change through `touch(keys)`.

The apps also register the next scheduled publication (`register_schedule`) and what fills the
per-reader parts of a page as it leaves (`register_response_filter`).
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from pagecache.store import touch

_rules = {}  # model: (keys, fields)
_schedules = []
_response_filters = []

__all__ = ["invalidates", "register_response_filter", "register_schedule", "touch", "update"]


def invalidates(model, keys, fields=()):
    """On each save and delete of `model` (a class or "app.Model"), touch keys(row, before, after)."""
    if isinstance(model, str):
        model = apps.get_model(model)
    _rules[model] = (keys, tuple(fields))
    uid = f"pagecache-{model._meta.label}"
    pre_save.connect(_remember_stored, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)


def update(queryset, **changes):
    """queryset.update(**changes), touching what the registered rule says of each row changed."""
    keys, fields = _rules[queryset.model]
    rows = list(queryset)
    count = queryset.update(**changes)
    touched = []
    for row in rows:
        before = _values(row, fields)
        for name, value in changes.items():
            setattr(row, name, value)
        touched += keys(row, before, _values(row, fields))
    touch(touched)
    return count


def register_schedule(next_time):
    """next_time(): when the next scheduled content goes live (a datetime, or None)."""
    _schedules.append(next_time)


def next_publication():
    """The earliest registered scheduled time, as a timestamp (None when nothing is scheduled)."""
    times = [at for at in (next_time() for next_time in _schedules) if at is not None]
    return min(times).timestamp() if times else None


def register_response_filter(fill):
    """fill(content) -> content, applied to every HTML response as it leaves (after the cache)."""
    _response_filters.append(fill)


def filter_response(content):
    for fill in _response_filters:
        content = fill(content)
    return content


def _values(row, fields):
    return {name: getattr(row, name) for name in fields}


def _remember_stored(sender, instance, update_fields=None, **kwargs):
    fields = _rules[sender][1]
    stored = None
    if update_fields is not None and not {name.removesuffix("_id") for name in fields} & set(update_fields):
        stored = _values(instance, fields)  # none of them saved (a login's last_login): no query
    elif instance.pk is not None and not instance._state.adding:
        stored = sender._base_manager.filter(pk=instance.pk).values(*fields).first() if fields else {}
    instance._pagecache_stored = stored


def _saved(sender, instance, created, **kwargs):
    keys, fields = _rules[sender]
    before = None if created else getattr(instance, "_pagecache_stored", None)
    touch(keys(instance, before, _values(instance, fields)))


def _deleted(sender, instance, **kwargs):
    keys, fields = _rules[sender]
    touch(keys(instance, _values(instance, fields), None))
