from django.contrib import admin, messages

from pagecache import registry
from replies.models import Reply


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    """Moderation: the original text (unmasked) is shown here so that the editor can decide."""

    list_display = ("name", "excerpt", "article", "status", "created_at")
    list_filter = ("status", "created_at")
    list_select_related = ("article",)
    search_fields = ("name", "text", "email")
    readonly_fields = ("article", "name", "email", "text", "created_at")
    fields = ("article", "name", "email", "text", "created_at", "status", "allow_links")
    actions = ("approve", "mark_spam")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # replies come from readers

    @admin.display(description="Reply")
    def excerpt(self, reply):
        return reply.text if len(reply.text) < 80 else reply.text[:77] + "…"

    @admin.action(description="Approve selected replies", permissions=["change"])
    def approve(self, request, queryset):
        count = registry.update(queryset, status=Reply.Status.APPROVED)  # touches what readers see
        self.message_user(request, f"{count} repl{'y' if count == 1 else 'ies'} approved.", messages.SUCCESS)

    @admin.action(description="Mark selected replies as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        count = registry.update(queryset, status=Reply.Status.SPAM)
        self.message_user(
            request, f"{count} repl{'y' if count == 1 else 'ies'} marked as spam.", messages.SUCCESS
        )
