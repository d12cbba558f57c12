from django.contrib import admin

from authors.models import MANAGE_PERMISSION, Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Editors manage every profile; an author sees and edits only their own; only superusers see or
    change the login behind a profile (the takedown action is added by articles/admin.py)."""

    list_display = ("pseudonym", "slug", "created_at")
    search_fields = ("pseudonym",)
    prepopulated_fields = {"slug": ("pseudonym",)}
    view_on_site = True

    def has_manage_permission(self, request):
        return request.user.has_perm(MANAGE_PERMISSION)

    def get_queryset(self, request):
        authors = super().get_queryset(request)
        return authors if self.has_manage_permission(request) else authors.filter(user=request.user)

    def may_link_logins(self, request):
        # Logins carry real names and e-mails: linking one to a profile is a superuser's job.
        return request.user.is_active and request.user.is_superuser

    def get_fields(self, request, obj=None):
        login = ("user",) if self.may_link_logins(request) else ()
        if self.has_manage_permission(request):
            return ("pseudonym", "slug", "bio", "avatar", *login)
        return ("pseudonym", "bio", "avatar")

    def get_autocomplete_fields(self, request):
        return ("user",) if self.may_link_logins(request) else ()

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if self.has_manage_permission(request) else {}
