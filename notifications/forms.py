from django import forms

from articles.workflow import is_editor
from notifications.models import Preferences

EDITORS_ONLY = ("submitted", "replies", "review_digest")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ("submitted", "replies", "review_digest", "published")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_editor(user):
            for name in EDITORS_ONLY:
                del self.fields[name]
