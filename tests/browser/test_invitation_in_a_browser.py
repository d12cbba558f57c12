"""In Chromium: an editor invites a writer from the admin; the writer follows the link from the e-mail,
chooses a password and logs in to their own desk, with nothing blocked by the Content-Security-Policy."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-writer-chose-this-42"


def test_a_writer_follows_the_invitation_from_the_e_mail_to_their_desk(
    chromium, log_in, live_server, settings
):
    settings.SITE_URL = live_server.url
    editor = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))

    desk = log_in(editor)
    desk.goto(f"{live_server.url}{reverse('admin:invitations_invitation_add')}")
    desk.get_by_label("Email").fill("writer@example.net")
    desk.get_by_label("Pseudonym").fill("Quiet Heron")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.get_by_role("link", name="Quiet Heron")).to_be_visible()

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/admin/invitation/\S+", message.body).group(0)
    writer = open_page(chromium)
    writer.goto(link)
    expect(writer.get_by_text("You are invited to write for fibrosite as")).to_be_visible()
    writer.get_by_label("Username").fill("heron")
    writer.locator("#id_password1").fill(PASSWORD)
    writer.locator("#id_password2").fill(PASSWORD)
    writer.get_by_role("button", name="Set up my login").click()

    expect(writer.get_by_text("Your login is ready")).to_be_visible()
    writer.get_by_label("Username").fill("heron")
    writer.get_by_label("Password").fill(PASSWORD)
    writer.get_by_role("button", name="Log in").click()
    expect(writer.get_by_role("heading", name="Your articles")).to_be_visible()
    assert writer.blocked == [] and desk.blocked == []
