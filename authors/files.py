"""Picture files live exactly as long as the rows that name them: a replaced, cleared or deleted
picture's file and its renditions are deleted once the change is committed (a rolled-back save
deletes nothing); a new picture's renditions are made once its save is committed."""

from datetime import timedelta
from functools import partial

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from authors.images import AVATAR_FOLDER, PICTURE_FOLDERS, MetadataFreeImageField
from authors.renditions import has_renditions, make_renditions, rendition_folder

ORPHAN_MIN_AGE = timedelta(hours=1)  # a younger file may belong to a save not committed yet


def picture_fields_of(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, MetadataFreeImageField)]


def picture_fields():
    """[(model, field)] for every picture field of every installed model."""
    return [(model, field) for model in apps.get_models() for field in picture_fields_of(model)]


def connect_picture_handlers():
    """Connect the handlers below for every model with a picture field (from AuthorsConfig.ready)."""
    for model in {model for model, _ in picture_fields()}:
        label = model._meta.label
        pre_save.connect(note_replaced_pictures, sender=model, dispatch_uid=f"pictures-note-{label}")
        post_save.connect(delete_replaced_pictures, sender=model, dispatch_uid=f"pictures-replace-{label}")
        post_save.connect(make_new_renditions, sender=model, dispatch_uid=f"pictures-renditions-{label}")
        post_delete.connect(
            delete_pictures_of_deleted_row, sender=model, dispatch_uid=f"pictures-delete-{label}"
        )


def note_replaced_pictures(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    """Before a row is saved, note the stored picture files that this save replaces or clears, and
    the fields given a new picture."""
    instance._replaced_pictures = []
    fields = [f for f in picture_fields_of(sender) if update_fields is None or f.name in update_fields]
    instance._new_pictures = [
        field
        for field in fields
        if getattr(instance, field.attname) and not getattr(instance, field.attname)._committed
    ]
    if raw or instance._state.adding or not fields:
        return
    stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*(f.attname for f in fields))
    stored = stored.first() or {}
    for field in fields:
        old, new = stored.get(field.attname), getattr(instance, field.attname)
        if old and (not new or not new._committed or new.name != old):
            instance._replaced_pictures.append((field.storage, old))


def delete_replaced_pictures(sender, instance, using=None, **kwargs):
    """Once the save is committed, delete the files noted before it."""
    for storage, name in getattr(instance, "_replaced_pictures", ()):
        delete_after_commit(storage, name, using)
    instance._replaced_pictures = []


def make_new_renditions(sender, instance, using=None, **kwargs):
    """Once the save is committed, make the renditions of the pictures it stored."""
    for field in getattr(instance, "_new_pictures", ()):
        name = getattr(instance, field.attname).name
        if name and has_renditions(name):
            make = partial(make_renditions, field.storage, name)
            transaction.on_commit(make, using=using, robust=True)  # a failure leaves them to make_pictures
    instance._new_pictures = []


def delete_pictures_of_deleted_row(sender, instance, using=None, **kwargs):
    """Once a row's deletion is committed, delete its picture files."""
    for field in picture_fields_of(sender):
        name = getattr(instance, field.attname).name
        if name:
            delete_after_commit(field.storage, name, using)


def delete_after_commit(storage, name, using=None):
    # robust: a storage failure is logged and the file left for delete_orphan_pictures.
    transaction.on_commit(partial(_delete_unless_named, storage, name), using=using, robust=True)


def _delete_unless_named(storage, name):
    # Another row may name the same file (a copied row, a restored backup): then it stays.
    if not any(
        model._base_manager.filter(**{field.name: name}).exists() for model, field in picture_fields()
    ):
        for rendition in list(_files_under(storage, rendition_folder(name))):
            storage.delete(rendition)
        storage.delete(name)


def orphan_pictures(min_age=ORPHAN_MIN_AGE, storage=default_storage):
    """Names of the files under the picture folders (renditions and share cards included) that no
    row names, nor are renditions of a picture a row names, at least `min_age` old."""
    named = set()
    for model, field in picture_fields():
        named.update(model._base_manager.exclude(**{field.name: ""}).values_list(field.attname, flat=True))
    rendition_folders = {rendition_folder(name) for name in named}
    cutoff = timezone.now() - min_age
    return [
        name
        for folder in PICTURE_FOLDERS
        for name in _files_under(storage, folder)
        if name not in named
        and name.rpartition("/")[0] not in rendition_folders
        and storage.get_modified_time(name) <= cutoff
    ]


def delete_orphan_pictures(dry_run=False, min_age=ORPHAN_MIN_AGE, storage=default_storage):
    """Delete (with `dry_run`, only find) the picture files that no row names; return their names."""
    orphans = orphan_pictures(min_age, storage)
    if not dry_run:
        for name in orphans:
            storage.delete(name)
    return orphans


def delete_author_pictures(folder, storage=default_storage):
    """Delete every file in an author's picture folder, and the avatars from before such folders
    existed that no row names (their owner is unknown, so none may stay after a takedown)."""
    if not folder:
        return
    older_avatars = [
        name
        for name in orphan_pictures(timedelta(0), storage)
        if name.count("/") == 1 and name.startswith(f"{AVATAR_FOLDER}/")
    ]
    for name in [*_files_under(storage, f"{AVATAR_FOLDER}/{folder}"), *older_avatars]:
        storage.delete(name)


def _files_under(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        yield f"{folder}/{file}"
    for subfolder in folders:
        yield from _files_under(storage, f"{folder}/{subfolder}")
