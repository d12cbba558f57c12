import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo content, as `make run` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; the tests create many logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
