from django.apps import AppConfig
from django.urls import register_converter


class AuthorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "authors"

    def ready(self):
        from authors.converters import UnicodeSlugConverter

        register_converter(UnicodeSlugConverter, "uslug")
