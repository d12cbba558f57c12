"""The admin site: every admin URL, the "view on site" shortcut included, asks the same permission hooks,
and staff who must give a one-time code reach nothing before they have."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode

from staff import two_factor
from staff.dashboard import desk_for
from staff.forms import StaffLoginForm
from staff.views import two_factor_page


class FibroAdminSite(admin.AdminSite):
    site_header = site_title = "fibrosite editorial desk"  # whose admin this is, not "Django administration"
    index_title = "Editorial desk"
    index_template = "admin/desk_index.html"
    login_form = StaffLoginForm

    def admin_view(self, view, cacheable=False):
        if view == self.logout:  # someone who cannot give a code may still leave
            return super().admin_view(view, cacheable)

        def verified_only(request, *args, **kwargs):
            if two_factor.must_verify(request.user):
                return redirect(
                    f"{reverse('admin:two_factor')}?{urlencode({'next': request.get_full_path()})}"
                )
            return view(request, *args, **kwargs)

        return super().admin_view(update_wrapper(verified_only, view), cacheable)

    def index(self, request, extra_context=None):
        return super().index(request, {"desk": desk_for(request.user), **(extra_context or {})})

    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            # Logged in, but not yet verified: the one page open to them.
            path("two-factor/", super().admin_view(two_factor_page), name="two_factor"),
            path(
                "r/<str:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to the object's public address only for a user who may open it in this admin: same
        queryset and permission as its change page, and the same 404 whether it exists or not."""
        model_admin = self._admin_for_content_type(content_type_id)
        obj = model_admin.get_object(request, unquote(object_id)) if model_admin else None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, obj.pk)

    def _admin_for_content_type(self, content_type_id):
        # Looked up among the registered models, so an unknown or absurd id never reaches the database; a
        # proxy (the review queue) keeps its own type and never stands in for the model it shows.
        types = ContentType.objects.get_for_models(*self._registry, for_concrete_models=False)
        by_id = {str(ct.pk): model for model, ct in types.items()}
        model = by_id.get(content_type_id)
        return self._registry.get(model) if model else None
