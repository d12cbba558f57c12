import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo content, as `make run` loads it."""
    call_command("load_demo", verbosity=0)
