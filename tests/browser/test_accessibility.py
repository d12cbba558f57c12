"""In Chromium, axe-core finds no accessibility problem of any impact, best practices included, on
every public page type in the light and the dark theme, nor on the admin's article form."""

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.axe import axe_violations
from tests.public_pages import load_public_pages

# The live server needs committed data; serialized_rollback keeps the roles the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_axe_core_reports_a_problem_when_there_is_one(page, live_server):
    page.set_content('<html lang="en"><title>x</title><main><img src="/x.png"></main></html>')
    assert any(line.startswith("image-alt") for line in axe_violations(page))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_public_page_type_has_no_axe_violation(chromium, live_server, scheme):
    pages = load_public_pages()
    found = {}
    for width in (1280, 360):
        page = chromium.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
        for name, url in pages.items():
            page.goto(f"{live_server.url}{url}")
            violations = axe_violations(page)
            if violations:
                found[f"{name} at {width} px"] = violations
        page.close()
    assert found == {}


def test_the_reading_settings_panel_open_has_no_axe_violation(page, live_server):
    pages = load_public_pages()
    page.goto(f"{live_server.url}{pages['article']}")
    page.locator("summary", has_text="Reading settings").click()
    assert page.get_by_role("group", name="Theme").is_visible()
    assert (violations := axe_violations(page)) == [], "\n".join(violations)


def test_the_admin_article_form_has_no_axe_violation(page, live_server):
    user = User.objects.create_user("ed", "ed@example.org", "pw-in-browser", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    page.goto(f"{live_server.url}/admin/login/")
    assert (violations := axe_violations(page)) == [], "\n".join(violations)
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw-in-browser")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector("html[data-select2-named]")
    assert (violations := axe_violations(page)) == [], "\n".join(violations)


def test_the_reply_form_showing_its_errors_has_no_axe_violation(page, live_server):
    pages = load_public_pages()
    page.goto(f"{live_server.url}{pages['article']}")
    page.evaluate("document.getElementById('reply-form').noValidate = true")  # the server's own checks
    page.get_by_label("E-mail (optional)").fill("not-an-address@")
    page.get_by_role("button", name="Send reply").click()
    assert page.locator("#reply-form .is-invalid").count() >= 1
    assert page.locator("#reply-form .invalid-feedback").first.is_visible()
    assert (violations := axe_violations(page)) == [], "\n".join(violations)
