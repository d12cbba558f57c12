from tests.admin.conftest import author_user, editor  # noqa: F401  the roles' logins
