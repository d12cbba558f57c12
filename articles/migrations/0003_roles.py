"""The Editor and Author groups, so that every new database has the editorial roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Editor": [
        "articles.add_article", "articles.change_article", "articles.delete_article", "articles.view_article",
        "articles.publish_article",
        "articles.add_correction", "articles.change_correction", "articles.delete_correction",
        "articles.view_correction", "articles.view_tagredirect",
        "articles.add_source", "articles.change_source", "articles.delete_source", "articles.view_source",
        "articles.add_tag", "articles.change_tag", "articles.delete_tag", "articles.view_tag",
        "authors.add_author", "authors.change_author", "authors.view_author", "authors.manage_authors",
        "auth.view_user",
    ],
    "Author": [
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.add_source", "articles.change_source", "articles.delete_source", "articles.view_source",
        "articles.view_tag", "articles.view_correction",
        "authors.change_author", "authors.view_author",
    ],
}  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editorial"),
        ("authors", "0002_editorial"),
        ("authors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
