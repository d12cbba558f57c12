from django.apps import AppConfig


class WritingConfig(AppConfig):
    """The article form's writing aids: a preview rendered as readers will get it, and autosaved copies."""

    name = "writing"
