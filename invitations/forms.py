"""The editor's invitation form and the writer's form to set up their login."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User

from authors.models import Author
from invitations.models import Invitation

PSEUDONYM_TAKEN = "An author with this pseudonym already exists."


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("email", "pseudonym")

    def clean_pseudonym(self):
        pseudonym = self.cleaned_data["pseudonym"].strip()
        if Author.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError(PSEUDONYM_TAKEN)
        if Invitation.objects.open().filter(pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError("A writer is already invited under this pseudonym.")
        return pseudonym

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone with this address can already log in.")
        return email


class WriterLoginForm(UserCreationForm):
    """A username and a password the writer chooses; the e-mail address comes from the invitation."""

    def __init__(self, invitation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.instance.email = invitation.email  # password validators compare the password with it
        self.fields[
            "username"
        ].help_text = "Only for logging in; readers never see it. Letters, digits and @ . + - _ only."

    def clean(self):
        cleaned = super().clean()
        if Author.objects.filter(pseudonym__iexact=self.invitation.pseudonym).exists():
            raise forms.ValidationError(
                "Another author took this pseudonym in the meantime: ask your editor for a new invitation."
            )
        return cleaned
