"""Who receives what: the editors, or an article's author, minus those who turned that kind off."""

from django.contrib.auth import get_user_model

from articles.workflow import PUBLISH_PERMISSION

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"  # where group permissions live (not axes')


def editors(preference):
    """Active editors and superusers with an e-mail address who did not turn `preference` off."""
    users = get_user_model().objects.with_perm(PUBLISH_PERMISSION, backend=MODEL_BACKEND)
    return users.exclude(email="").exclude(**{f"notification_preferences__{preference}": False})


def author_of(article, preference=None):
    """The login behind `article`'s author when it is active, has an address and (for a non-essential
    `preference`) did not turn it off; else None."""
    user = article.author.user
    if user is None or not user.is_active or not user.email:
        return None
    preferences = getattr(user, "notification_preferences", None)
    if preference and preferences is not None and not getattr(preferences, preference):
        return None
    return user
