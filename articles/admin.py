from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.db.models.fields import BLANK_CHOICE_DASH
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.admin_base import SourcesInline, WorkflowFormAdmin
from articles.bulk_actions import bulk_transition
from articles.forms import TRANSITION_FIELD, ArticleAdminForm, SourceFormSet
from articles.models import Article, Correction, ReviewQueue, Source, Tag, TaggedArticle, TagRedirect
from articles.pending import PendingVersion
from articles.pending_admin import PendingVersionAdmin  # noqa: F401  (registers changes to published articles)
from articles.revisions import (
    changes_since_last_published,
    changes_since_review,
    compare,
    record_revision,
    restore,
    snapshot,
    versions_of,
)
from articles.topics import with_link_counts
from articles.workflow import is_editor, staff_name
from authors.admin import AuthorAdmin
from authors.models import Author


class RequiredAutocompleteSelect(AutocompleteSelect):
    """select2's box for a required choice, with the empty first option that HTML asks of a required
    <select> as its first (Django's has none, or the chosen author first)."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.is_required:
            groups.insert(0, (None, [self.create_option(name, "", BLANK_CHOICE_DASH[0][1], False, 0)], 0))
        return groups


class SourceInline(SourcesInline):
    model = Source
    formset = SourceFormSet


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ("corrected_on", "text")


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Review due"), ("current", "Reviewed this year"), ("outdated", "Review out of date")]

    def queryset(self, request, queryset):
        if self.value() in ("due", "current"):
            return queryset.filter(review_due=self.value() == "due")
        if self.value() == "outdated":
            return queryset.filter(review_outdated=True)
        return queryset


class TypedNameFilter(admin.SimpleListFilter):
    """A filter the editor types a name into, for lists too long to show one link per entry."""

    template = "admin/articles/name_filter.html"
    placeholder = ""

    def lookups(self, request, model_admin):
        return ()  # nothing listed: the page keeps its size however many names there are

    def has_output(self):
        return True

    def choices(self, changelist):
        # One form, which carries the page's other filters, search and ordering along.
        others = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
            for value in values
        ]
        yield {
            "value": self.value() or "",
            "hidden": others,
            "all_query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }

    def queryset(self, request, queryset):
        name = (self.value() or "").strip()
        return queryset.filter(self.matching(name)) if name else queryset

    def matching(self, name):
        """A Q object for the articles matching the typed `name`, found through a subquery so that
        the database starts from the few matching rows rather than walking every article."""
        raise NotImplementedError


class AuthorNameFilter(TypedNameFilter):
    title = "author"
    parameter_name = "pseudonym"
    placeholder = "Pseudonym"

    def matching(self, name):
        return Q(author__in=Author.objects.filter(pseudonym__iexact=name))


class TopicNameFilter(TypedNameFilter):
    title = "topic"
    parameter_name = "topic"
    placeholder = "Topic name"

    def matching(self, name):
        # A subquery, not a join: joined topic links repeat articles and make the admin add DISTINCT.
        return Q(pk__in=TaggedArticle.objects.filter(tag__name__iexact=name).values("content_object"))


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list shows no article text: its long columns stay in the database.
        return super().get_queryset(request, exclude_parameters).defer("body", "body_html", "toc")


@admin.register(Article)
class ArticleAdmin(WorkflowFormAdmin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "author", "state", "topic_list", "updated_at", "review_state", "thumbnail")
    # Authors and topics are typed, not listed (1,000 and 5,000 links would make every page heavy).
    # No date_hierarchy: its year links read every article on each view (0.3 s at 100,000 articles);
    # the published_at filter's fixed ranges cost nothing until chosen.
    list_filter = ("status", ReviewDueFilter, "published_at", AuthorNameFilter, TopicNameFilter)
    list_select_related = ("author",)
    show_full_result_count = False  # a second count of every article on each filtered page
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (SourceInline, CorrectionInline)
    actions = (bulk_transition("submit"), bulk_transition("publish"), bulk_transition("unpublish"))
    change_form_template = "admin/articles/article/change_form.html"
    list_per_page = 25

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def get_queryset(self, request):
        articles = super().get_queryset(request).for_admin(request.user)
        return articles.with_editorial_state().prefetch_related("tags")

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_autocomplete_fields(self, request):
        return ("author",) if is_editor(request.user) else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RequiredAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        # Authors see only their own articles; a list of every pseudonym is not theirs to see.
        return self.list_filter if is_editor(request.user) else ("status", ReviewDueFilter, "published_at")

    def get_readonly_fields(self, request, obj=None):
        generated = ("status", "reviewer", "reviewed_at", "reading_minutes", "created_at", "updated_at")
        if is_editor(request.user):
            return generated
        return (*generated, "author", "published_at", "review_note")

    def get_fieldsets(self, request, obj=None):
        editor = is_editor(request.user)
        review = ("reviewer", "reviewed_at")
        if editor:
            review += (
                ("record_review", "acknowledge_review_changes")
                if obj and obj.reviewed_at
                else ("record_review",)
            )
        return (
            (None, {"fields": ("title", "slug", "author", "summary", "body", "tags", "base_version")}),
            ("Publication", {"fields": ("status", "published_at", "review_note")}),
            ("Medical review and disclosure", {"fields": (*review, "disclosure")}),
            ("Picture", {"fields": ("hero_image", "hero_alt"), "classes": ("collapse",)}),
            (
                "Generated",
                {"fields": ("reading_minutes", "created_at", "updated_at"), "classes": ("collapse",)},
            ),
        )

    def get_inlines(self, request, obj):
        return self.inlines if is_editor(request.user) else (SourceInline,)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.is_editable_by(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        # Published articles are unpublished, not deleted, so that nothing vanishes by accident.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status != Article.Status.PUBLISHED)

    def save_model(self, request, obj, form, change):
        if not change and not is_editor(request.user):
            obj.author = request.user.author_profile
        if change and obj.note_edit_by(request.user):
            self.message_user(
                request,
                "Your changes took the article back to draft: submit it again when ready.",
                messages.INFO,
            )
        if form.transition:
            obj.apply_transition(form.transition, request.user, when=form.cleaned_data.get("published_at"))
        if change:
            obj.version = form.cleaned_data["base_version"] + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("record_review"):
            form.instance.record_review(request.user)  # after the sources: the review covers them too
            form.instance.save()
        labels = {t.name: t.label for t in Article.TRANSITIONS}
        comment = labels.get(form.transition) or ("Changed" if change else "Created")
        if form.cleaned_data.get("record_review"):
            comment += "; medical review recorded"
        record_revision(form.instance, request.user, comment)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["transitions"] = obj.allowed_transitions(request.user) if obj else []
        context["transition_field"] = TRANSITION_FIELD
        context["conflict"] = context["adminform"].form.conflict
        if obj is not None:
            context["reviewed_version"], context["review_changes"] = changes_since_review(obj)
            context["back_to_draft_on_save"] = obj.status == Article.Status.IN_REVIEW and not is_editor(
                request.user
            )
            context["pending_version"] = PendingVersion.objects.filter(article=obj).first()
            if any(t.name in ("publish", "schedule") for t in context["transitions"]):
                context["last_published"], context["published_changes"] = changes_since_last_published(obj)
            context["can_prepare_change"] = PendingVersion.may_start(obj, request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        if article.status == Article.Status.PUBLISHED and not article.is_live:
            return f"Scheduled for {timezone.localtime(article.published_at):%Y-%m-%d %H:%M}"
        return article.get_status_display()

    @admin.display(description="Topics")
    def topic_list(self, article):
        return ", ".join(tag.name for tag in article.tags.all())

    @admin.display(description="Medical review")
    def review_state(self, article):
        if article.review_outdated:
            return format_html('<strong class="review-outdated">{}</strong>', "Review out of date")
        if article.review_due:
            return format_html('<strong class="review-due">{}</strong>', "Review due")
        return f"Reviewed {article.reviewed_at:%Y-%m-%d}" if article.reviewed_at else "—"

    @admin.display(description="Reviewed by")
    def reviewer(self, article):
        return staff_name(article.reviewed_by, unknown="an editor") if article.reviewed_at else "—"

    @admin.display(description="Picture")
    def thumbnail(self, article):
        if not article.hero_image:
            return ""
        return format_html(
            '<img src="{}" alt="" width="64" height="40" style="object-fit:cover">', article.hero_image.url
        )

    # Revisions: list, compare two, restore one (restoring makes a new revision).

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/revisions/", view(self.revisions_view), name="articles_article_revisions"),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _article_for(self, request, object_id, change=False):
        article = self.get_object(request, unquote(object_id))  # None for a malformed or foreign id
        if article is None:
            raise Http404("No such article.")
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, object_id):
        article = self._article_for(request, object_id)
        versions = list(versions_of(article))
        by_id = {str(v.pk): v for v in versions}
        older, newer = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
        diff = None
        if older and newer:
            if older.revision.date_created > newer.revision.date_created:
                older, newer = newer, older
            diff = compare(snapshot(older), snapshot(newer))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revisions of “{article}”",
            "opts": self.opts,
            "article": article,
            "versions": versions,
            "older": older,
            "newer": newer,
            "diff": diff,
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return redirect("admin:articles_article_revisions", object_id)
        article = self._article_for(request, object_id, change=True)
        version = get_object_or_404(versions_of(article), pk=version_id)
        restore(article, version, request.user)
        self.log_change(
            request, article, f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}"
        )
        self.message_user(request, "The older version was restored as a new revision.", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)


@admin.register(ReviewQueue)
class ReviewQueueAdmin(admin.ModelAdmin):
    """Articles waiting for an editor, oldest submission first; each opens in the article form."""

    list_display = ("open_article", "author", "submitted_at", "topic_list", "review_state")
    list_display_links = None
    list_select_related = ("author",)
    ordering = ("submitted_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Article.Status.IN_REVIEW).prefetch_related("tags")

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Article")
    def open_article(self, article):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[article.pk]), article
        )

    @admin.display(description="Topics")
    def topic_list(self, article):
        return ", ".join(tag.name for tag in article.tags.all())

    @admin.display(description="Medical review")
    def review_state(self, article):
        if article.review_out_of_date:
            return format_html('<strong class="review-outdated">{}</strong>', "Review out of date")
        return f"Reviewed {article.reviewed_at:%Y-%m-%d}" if article.reviewed_at else "—"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "description")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description")
    actions = ("merge_topics",)

    def get_deleted_objects(self, objs, request):
        # Summarised: Django's default lists each article link on a line of its own (tens of
        # thousands for a large topic), loading them all on the confirmation page and on the POST.
        tags = with_link_counts(Tag.objects.filter(pk__in=[tag.pk for tag in objs]))
        to_delete = []
        for tag in tags:
            url = reverse(f"{self.admin_site.name}:articles_tag_change", args=[quote(tag.pk)])
            to_delete += [format_html('Topic: <a href="{}">{}</a>', url, tag), self.what_goes_with(tag)]
        summary = {"topics": len(tags), "article links": sum(tag.link_count for tag in tags)}
        if redirects := sum(tag.redirect_count for tag in tags):
            summary["earlier addresses"] = redirects
        refused = {"topic" for tag in tags if not self.has_delete_permission(request, tag)}
        return to_delete, summary, refused, []

    def what_goes_with(self, tag):
        links, redirects = tag.link_count, tag.redirect_count
        lines = [f"{links} article link{pluralize(links)} will be removed; the articles themselves are kept"]
        if redirects:
            lines.append(
                f"{redirects} earlier address{pluralize(redirects, 'es')} will no longer lead anywhere"
            )
        return lines

    def save_model(self, request, obj, form, change):
        if change and "slug" in form.changed_data:
            # The old address keeps working: readers' bookmarks and search engines follow it.
            TagRedirect.objects.update_or_create(old_slug=form.initial["slug"], defaults={"tag": obj})
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge selected topics into one", permissions=["delete"])
    def merge_topics(self, request, queryset):
        tags = list(queryset)
        if len(tags) < 2:
            self.message_user(request, "Select at least two topics to merge.", messages.WARNING)
            return None
        target = next((t for t in tags if str(t.pk) == request.POST.get("target")), None)
        if target is None:
            context = {**self.admin_site.each_context(request), "opts": self.opts, "tags": tags}
            context["title"] = "Merge topics"
            return TemplateResponse(request, "admin/articles/tag/merge.html", context)
        for tag in tags:
            if tag != target:
                tag.merge_into(target)
                self.log_change(request, target, f"Merged the topic “{tag.name}” into this one")
        self.message_user(request, f"Merged {len(tags) - 1} topic(s) into “{target.name}”.", messages.SUCCESS)
        return None


# The takedown action lives here, not in authors/, because it can unpublish the author's articles.
admin.site.unregister(Author)


@admin.register(Author)
class AuthorTakedownAdmin(AuthorAdmin):
    actions = ("take_down",)

    def has_take_down_permission(self, request):
        # Both rights: it changes the profile and may unpublish (listed permissions only need one).
        return self.has_manage_permission(request) and is_editor(request.user)

    @admin.action(description="Take down on request (anonymise)", permissions=["take_down"])
    @transaction.atomic
    def take_down(self, request, queryset):
        choice = request.POST.get("articles")
        if choice not in ("keep", "unpublish"):
            context = {**self.admin_site.each_context(request), "opts": self.opts, "authors": list(queryset)}
            context["title"] = "Take down authors"
            return TemplateResponse(request, "admin/authors/author/take_down.html", context)
        for author in queryset:
            if choice == "unpublish":
                for article in author.articles.filter(status=Article.Status.PUBLISHED):
                    article.apply_transition("unpublish", request.user)
                    article.version += 1
                    article.save()
                    record_revision(article, request.user, "Unpublished: author taken down")
            author.anonymise()
            kept = "kept published" if choice == "keep" else "unpublished"
            self.log_change(request, author, f"Taken down on request; articles {kept} under the neutral name")
        self.message_user(request, f"{queryset.count()} author(s) taken down.", messages.SUCCESS)
        return None
