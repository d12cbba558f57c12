from django.contrib import admin

from authors.models import Author

MANAGE_PERMISSION = "authors.manage_authors"


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Editors manage every profile; an author sees and edits only their own (the takedown action is
    added by articles/admin.py)."""

    list_display = ("pseudonym", "slug", "created_at")
    search_fields = ("pseudonym",)
    prepopulated_fields = {"slug": ("pseudonym",)}
    view_on_site = True

    def has_manage_permission(self, request):
        return request.user.has_perm(MANAGE_PERMISSION)

    def get_queryset(self, request):
        authors = super().get_queryset(request)
        return authors if self.has_manage_permission(request) else authors.filter(user=request.user)

    def get_fields(self, request, obj=None):
        if self.has_manage_permission(request):
            return ("pseudonym", "slug", "bio", "avatar", "user")
        return ("pseudonym", "bio", "avatar")

    def get_autocomplete_fields(self, request):
        return ("user",) if self.has_manage_permission(request) else ()

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if self.has_manage_permission(request) else {}
