"""Rows that store the number of their published articles (authors, topics)."""


class StoredArticleCount:
    """Saving a loaded row never writes its `published_article_count` back: the count changes by
    atomic updates only (articles.author_counts, articles.topic_counts), and a row loaded before a
    publication would otherwise undo it."""

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "published_article_count"
            ]
        return super().save(*args, **kwargs)

    save.alters_data = True  # as Model.save: a template never calls it
