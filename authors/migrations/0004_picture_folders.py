import authors.images
from django.db import migrations, models


def give_each_author_a_folder(apps, schema_editor):
    # AddField gave every existing author the same default; each needs a folder of their own.
    Author = apps.get_model("authors", "Author")
    for author in Author.objects.only("pk"):
        Author.objects.filter(pk=author.pk).update(picture_folder=authors.images.new_folder_name())


class Migration(migrations.Migration):

    dependencies = [
        ("authors", "0003_random_upload_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="picture_folder",
            field=models.CharField(
                db_default="",
                default=authors.images.new_folder_name,
                editable=False,
                help_text="The random folder holding this author's pictures, all deleted on takedown.",
                max_length=32,
            ),
        ),
        migrations.RunPython(give_each_author_a_folder, migrations.RunPython.noop),
    ]
