"""Replies in public never show an e-mail address or a phone number, however it is written, and
leave ordinary numbers alone; editors still see the original."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from replies.masking import mask_private_details
from replies.models import Reply
from tests.factories import make_article

EMAIL = "[e-mail address hidden]"
PHONE = "[phone number hidden]"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mail me at jo.b+x@mail.example.com ok", f"mail me at {EMAIL} ok"),
        ("write to jo @ example.com please", f"write to {EMAIL} please"),
        ("jo@ example.org or jo @example.org", f"{EMAIL} or {EMAIL}"),
        ("jo (at) example (dot) com", EMAIL),
        ("jo(at)example(dot)co(dot)uk.", f"{EMAIL}."),
        ("jo [at] example [dot] org", EMAIL),
        ("jo{at}example.org", EMAIL),
        ("jo AT example DOT com", EMAIL),
        ("jo at example dot com", EMAIL),
        ("jo dot smith at gmail dot com!", f"{EMAIL}!"),
        ("jo@example dot com", EMAIL),
        ("full width: jo\uff20example\uff0ecom", f"full width: {EMAIL}"),
        ("small at: jo\ufe6bexample.com", f"small at: {EMAIL}"),
        ("".join(chr(ord(c) + 0xFEE0) for c in "jo@example.com") + ", thanks", f"{EMAIL}, thanks"),
        ("jo@example.com/jane@example.org", f"{EMAIL}{EMAIL}"),
        ("call 0171 234 5678 please", f"call {PHONE} please"),
        ("or +44 (0)20-7946-0958.", f"or {PHONE}."),
        ("+44 20 7946 0958", PHONE),
        ("(020) 7946 0958 after six", f"{PHONE} after six"),
        ("0612/345/678", PHONE),
        ("0612 / 345 / 678", PHONE),
        ("06_12_34_56_78", PHONE),
        ("06,12,34,56,78", PHONE),
        ("06.12.34.56.78", PHONE),
        ("06-12-34-56-78", PHONE),
        ("+33 6 12 34 56 78", PHONE),
        ("0612345678", PHONE),
        ("text 0\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18 me", f"text {PHONE} me"),
        ("call 555 123 4567, or mail jo@example.com", f"call {PHONE}, or mail {EMAIL}"),
    ],
)
def test_contact_details_are_masked_however_they_are_written(text, masked):
    assert mask_private_details(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "I was 35 in 2019, 3 pills a day",
        "300 mg at night, then 600 mg",
        "10 000 steps, or 10,000 steps",
        "Since 2023-04-05 I sleep better",
        "on 05/04/2023 and 5.4.2023",
        "from 2019-2021, and 2019 2020",
        "in 2019, 2020, 2021 and 2022",
        "over 1,000,000 people, 12,500,000 in all",
        "a ratio of 3.14159265",
        "at 10.30 or 10:30",
        "see you @ 5pm.",
        "I met him at school. Then we talked",
        "look at the sky, dot the i's",
        "room 12, floor 3, 4 nights",
        "my score went from 1/10 to 7/10",
        "follow @fibrowarrior for news",
    ],
)
def test_ordinary_numbers_and_words_are_left_alone(text):
    assert mask_private_details(text) == text


@given(
    address=st.emails(),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
@settings(max_examples=300, deadline=None)
def test_no_generated_email_address_survives_masking(address, before, after):
    masked = mask_private_details(f"{before} {address} {after}")
    assert address not in masked
    assert address.lower() not in masked.lower()


@given(address=st.emails(), before=st.text(max_size=20), after=st.text(max_size=20))
@settings(max_examples=200, deadline=None)
def test_no_generated_email_address_survives_masking_even_with_no_space_around_it(address, before, after):
    assert address not in mask_private_details(f"{before}{address}{after}")


@pytest.mark.django_db
def test_the_page_masks_the_reply_and_the_moderation_screen_shows_the_original(client, admin_client):
    article = make_article()
    text = "Ring me: 06 12 34 56 78, or jo (at) example (dot) com"
    reply = Reply.objects.create(article=article, name="R", text=text, status=Reply.Status.APPROVED)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"Ring me: {PHONE}, or {EMAIL}" in page and "06 12 34 56 78" not in page
    moderation = admin_client.get(reverse("admin:replies_reply_change", args=[reply.pk])).content.decode()
    assert text in moderation
