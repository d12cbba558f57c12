from django.contrib.admin.apps import AdminConfig


class FibroAdminConfig(AdminConfig):
    """django.contrib.admin with our AdminSite as `admin.site`, and logins kept to superusers."""

    default_site = "fibrosite.admin.FibroAdminSite"

    def ready(self):
        super().ready()  # every app's admin.py registers on our site
        from fibrosite.login_admin import register_login_admins

        register_login_admins(self.module.site)
