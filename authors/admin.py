from django.contrib import admin

from authors.models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("pseudonym", "slug", "user", "created_at")
    search_fields = ("pseudonym",)
    prepopulated_fields = {"slug": ("pseudonym",)}
    autocomplete_fields = ("user",)
    view_on_site = True
