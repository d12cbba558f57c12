"""What fibrosite/settings.py makes of an environment, read in a newly started process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Variables the settings tests set themselves: the test run's own values never leak into the new process.
SET_BY_THE_TESTS = {
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL", "TWO_FACTOR_REQUIRED",
    "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "PG_PREPARED_STATEMENTS", "PAGE_CACHE_LOCAL_COPIES",
}  # fmt: skip


def settings_in_new_process(printed, **env):
    """The finished run of a new Python process that sets Django up under this environment less the
    variables above, plus `env`, and prints `printed` (an expression that may name `settings`)."""
    clean = {k: v for k, v in os.environ.items() if k not in SET_BY_THE_TESTS}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'fibrosite.settings'; django.setup()\n"
        f"from django.conf import settings; print({printed})"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )
