"""An editor invites a writer by e-mail; the writer follows the link, chooses their own password and logs in
as the author of the pseudonym they were invited under. The link works once, for 7 days."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from authors.models import Author
from invitations.models import Invitation
from invitations.sending import accept_address
from tests.factories import make_author

PASSWORD = "my-own-long-passphrase-7"


def invite(client, email="new.writer@example.net", pseudonym="Gentle Owl"):
    return client.post(reverse("admin:invitations_invitation_add"), {"email": email, "pseudonym": pseudonym})


def link_in(message):
    """The invitation's path, read from the plain-text body of the sent e-mail."""
    return re.search(r"https?://[^/\s]+(/admin/invitation/\S+)", message.body).group(1)


def accept(client, link, username="gentleowl", password=PASSWORD):
    return client.post(link, {"username": username, "password1": password, "password2": password})


@pytest.fixture
def invited(client, editor):
    client.force_login(editor)
    invite(client)
    client.logout()
    return Invitation.objects.get(), link_in(mail.outbox[-1])


def test_an_invitation_leads_from_the_e_mail_to_the_first_login(client, editor):
    client.force_login(editor)
    response = invite(client)
    assert response.status_code == 302
    client.logout()

    (message,) = mail.outbox
    assert message.to == ["new.writer@example.net"]
    assert "Gentle Owl" in message.subject
    link = link_in(message)
    assert link in message.alternatives[0][0]  # the HTML body carries the same link

    form_page = client.get(link)
    assert form_page.status_code == 200 and "Gentle Owl" in form_page.content.decode()
    response = accept(client, link)
    assert response.status_code == 302 and response.url == reverse("admin:login")

    login = client.post(reverse("admin:login"), {"username": "gentleowl", "password": PASSWORD})
    assert login.status_code == 302
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    user = User.objects.get(username="gentleowl")
    assert index.wsgi_request.user == user
    assert user.is_staff and not user.is_superuser and user.email == "new.writer@example.net"
    assert list(user.groups.values_list("name", flat=True)) == ["Author"]
    assert user.author_profile.pseudonym == "Gentle Owl"
    assert Invitation.objects.get().user == user


def test_the_editor_never_sees_or_sets_a_password(client, editor):
    client.force_login(editor)
    form = client.get(reverse("admin:invitations_invitation_add")).content.decode()
    invite(client)
    listing = client.get(reverse("admin:invitations_invitation_changelist")).content.decode()

    assert 'name="email"' in form and 'name="pseudonym"' in form and 'type="password"' not in form
    assert "Gentle Owl" in listing and "new.writer@" not in listing  # the address is shown masked


@pytest.mark.parametrize("taken", ["Gentle Owl", "GENTLE owl"])
def test_a_pseudonym_already_used_is_refused_ignoring_case(client, editor, taken):
    make_author("gentle OWL")
    client.force_login(editor)

    response = invite(client, pseudonym=taken)

    assert response.status_code == 200
    assert "An author with this pseudonym already exists." in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_pseudonym_already_invited_is_refused(client, editor):
    client.force_login(editor)
    invite(client)

    response = invite(client, email="other@example.net", pseudonym="gentle owl")

    assert "already invited under this pseudonym" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_authors_cannot_invite(client, author_user):
    client.force_login(author_user)

    assert invite(client).status_code == 403
    assert not Invitation.objects.exists()


def test_the_link_works_once(client, invited):
    _invitation, link = invited
    accept(client, link)

    again = client.get(link)
    second = accept(client, link, username="someoneelse")

    assert again.status_code == 410 and "already used" in again.content.decode()
    assert second.status_code == 410
    assert not User.objects.filter(username="someoneelse").exists()
    assert Author.objects.filter(pseudonym="Gentle Owl").count() == 1


def sent_days_ago(days):
    """An invitation sent `days` ago, and its link as it was mailed then."""
    invitation = Invitation.objects.create(
        email="late@example.net", pseudonym="Gentle Owl", sent_at=timezone.now() - timedelta(days=days)
    )
    return invitation, accept_address(invitation)


def test_an_expired_link_says_so_plainly(client, db):
    _invitation, link = sent_days_ago(7.001)

    response = client.get(link)
    posted = accept(client, link)

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert posted.status_code == 410 and not User.objects.filter(username="gentleowl").exists()


def test_a_link_six_days_old_still_works(client, db):
    _invitation, link = sent_days_ago(6.9)

    assert client.get(link).status_code == 200
    assert accept(client, link).status_code == 302


def test_a_tampered_link_is_refused(client, invited):
    invitation, link = invited

    response = client.get(link[:-3] + "abc/")
    garbage = client.get(reverse("invitations:accept", args=[invitation.pk, "not-a-token-at-all"]))

    assert response.status_code == 404 and "does not work" in response.content.decode()
    assert garbage.status_code == 404


def test_sending_again_gives_a_new_link_and_kills_the_old_one(client, editor, invited):
    invitation, old_link = invited
    client.force_login(editor)
    client.post(
        reverse("admin:invitations_invitation_changelist"),
        {"action": "send_again", "_selected_action": [invitation.pk]},
    )
    client.logout()

    new_link = link_in(mail.outbox[-1])
    assert len(mail.outbox) == 2 and new_link != old_link
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_a_revoked_invitation_cannot_be_used(client, editor, invited):
    invitation, link = invited
    client.force_login(editor)
    client.post(
        reverse("admin:invitations_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )
    client.logout()

    assert Invitation.objects.get().state == Invitation.State.REVOKED
    assert client.get(link).status_code in (404, 410)
    assert accept(client, link).status_code in (404, 410)
    assert not User.objects.filter(username="gentleowl").exists()


def test_a_weak_password_is_refused_with_a_message(client, invited):
    _invitation, link = invited

    response = accept(client, link, password="password")

    assert response.status_code == 200 and "too common" in response.content.decode()
    assert not User.objects.filter(username="gentleowl").exists()


def test_a_failing_mail_server_keeps_the_invitation_and_says_so(client, editor, settings):
    settings.EMAIL_BACKEND = "tests.mail_failure.FailingBackend"
    client.force_login(editor)

    response = invite(client)

    assert response.status_code == 302
    assert Invitation.objects.count() == 1
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("did not take the invitation" in m for m in messages)
