from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles import invalidation, review, signals  # noqa: F401  (connects the search index's handlers)
        from pagecache import registry

        review.connect()  # the content digest follows the sources
        invalidation.connect()  # what each change makes stale in the page cache
        if not apps.is_installed("replies"):  # replies/apps.py registers it once replies move there
            registry.register_response_filter(import_string("articles.replies.fill_reply_tokens"))
