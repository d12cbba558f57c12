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
        # Until replies/apps.py registers it (replies are moving out of articles into their own app).
        tokens = "replies.tokens" if apps.is_installed("replies") else "articles.replies"
        registry.register_response_filter(import_string(f"{tokens}.fill_reply_tokens"))
