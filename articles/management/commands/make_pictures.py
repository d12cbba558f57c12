from django.core.management.base import BaseCommand

from articles.models import Article
from articles.share_cards import refresh_share_image
from authors.files import picture_fields
from authors.renditions import has_renditions, make_renditions, renditions


class Command(BaseCommand):
    help = (
        "Make what pages name but nobody made yet: the renditions of every stored picture (and a "
        "hero's stored size), and the share image of every published article. Run it once after "
        "upgrading, or after restoring a backup; saves make them from then on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Make them all again.")

    def handle(self, *args, force=False, **options):
        made = missing = 0
        for model, field in picture_fields():
            rows = model._base_manager.exclude(**{field.attname: ""})
            for row in rows.iterator():
                file = getattr(row, field.attname)
                if not has_renditions(file.name):
                    continue  # a share image
                try:
                    made += self._make(row, field, file, force)
                except OSError:
                    missing += 1
                    self.stderr.write(f"{file.name}: the file is missing.")
        published = Article.objects.filter(status=Article.Status.PUBLISHED)
        if force:
            published.update(share_image_key="")
        for pk in published.values_list("pk", flat=True):
            refresh_share_image(pk)
        self.stdout.write(f"{made} picture(s) given renditions; {missing} missing; share images checked.")

    def _make(self, row, field, file, force):
        width, height = (
            getattr(row, name) if name else None for name in (field.width_field, field.height_field)
        )
        if field.width_field and not (width and height):
            width, height = file.width, file.height  # reads the header
            model = type(row)
            model._base_manager.filter(pk=row.pk).update(
                **{field.width_field: width, field.height_field: height}
            )
        wanted = [r.name for sized in renditions(file.name, width, height).values() for r in sized]
        if not force and all(field.storage.exists(name) for name in wanted):
            return 0
        make_renditions(field.storage, file.name, width, height)
        return 1
