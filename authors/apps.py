from django.apps import AppConfig
from django.urls import register_converter


class AuthorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "authors"

    def ready(self):
        from authors.converters import UnicodeSlugConverter
        from authors.files import connect_picture_handlers

        register_converter(UnicodeSlugConverter, "uslug")
        connect_picture_handlers()  # every model's picture fields, the articles' included
