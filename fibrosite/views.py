"""Site-wide endpoints: the load balancer's health check."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """200 when the database and the cache answer; 503 naming the part that does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure is reported, never raised: this page must always answer
        checks["database"] = "unavailable"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception:
        checks["cache"] = "unavailable"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
