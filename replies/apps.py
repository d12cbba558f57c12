from django.apps import AppConfig


class RepliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "replies"

    def ready(self):
        from pagecache import registry
        from replies import invalidation
        from replies.tokens import fill_reply_tokens

        invalidation.connect()  # what moderating a reply makes stale in the page cache
        registry.register_response_filter(fill_reply_tokens)  # each page's reply form gets a fresh token
