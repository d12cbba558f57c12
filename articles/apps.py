from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles import author_counts, invalidation, review, share_cards, signals, topic_counts  # noqa: F401  (connects the search index's handlers)

        review.connect()  # the content digest follows the sources
        invalidation.connect()  # what each change makes stale in the page cache
        topic_counts.connect()  # each topic's stored number of published articles
        author_counts.connect()  # each author's
        share_cards.connect()  # each published article's share image follows its title and hero
