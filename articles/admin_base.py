"""What the admin of articles and the admin of changes to published articles share."""

from django.contrib import admin
from django.db import models

from articles.forms import TRANSITION_FIELD


class SourcesInline(admin.TabularInline):
    """An article's (or a change's) sources, in order; an address typed without a scheme is https."""

    extra = 1
    fields = ("title", "url", "position")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class WorkflowFormAdmin:
    """A ModelAdmin mixin: the form knows who saves it and which workflow button was pressed."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        form.transition = request.POST.get(TRANSITION_FIELD, "")
        return form
