import pytest

from tests.admin.conftest import author_user, editor, make_user, superuser  # noqa: F401  the roles' logins


@pytest.fixture
def second_editor(db):
    return make_user("ed2", "Editor", first_name="Sam", last_name="Second")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the e-mail) at the end of the `with` block, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
