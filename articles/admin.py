from django.contrib import admin

from articles.models import Article, Source, Tag


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ("title", "url", "position")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "status", "published_at", "updated_at")
    list_filter = ("status", "author", "tags")
    list_select_related = ("author",)
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author",)
    date_hierarchy = "published_at"
    readonly_fields = ("reading_minutes", "created_at", "updated_at")
    inlines = (SourceInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "author", "summary", "body", "tags")}),
        ("Publication", {"fields": ("status", "published_at")}),
        ("Picture", {"fields": ("hero_image", "hero_alt"), "classes": ("collapse",)}),
        (
            "Medical review",
            {"fields": ("reviewed_by", "reviewed_at", "review_note"), "classes": ("collapse",)},
        ),
        ("Generated", {"fields": ("reading_minutes", "created_at", "updated_at"), "classes": ("collapse",)}),
    )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description")
