"""Site-wide endpoints: the load balancer's health check and the server error pages."""

import sys

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader


def healthz(request):
    """200 when the database and the cache answer; 503 naming the part that does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure is reported, never raised: this page must always answer
        checks["database"] = "unavailable"
    if isinstance(caches["default"], DummyCache):  # turned off on purpose (CACHE_DISABLED): nothing to answer
        checks["cache"] = "off"
    else:
        try:
            cache.set("healthz", "ok", 5)
            checks["cache"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
        except Exception:
            checks["cache"] = "unavailable"
    healthy = all(state in ("ok", "off") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def server_error(request):
    """500 in the site's template; 503 "try again soon" when the database is what failed."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        return render_error("503.html", status=503)
    return render_error("500.html", status=500)


def render_error(template_name, status):
    # Rendered without a request context: the failure may be in what a context would need.
    response = HttpResponse(loader.get_template(template_name).render(), status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response
