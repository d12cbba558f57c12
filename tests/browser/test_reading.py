"""In Chromium, as readers with pain and fog use the site: on a 360 px phone, by tapping, with no
sideways scroll; with text size, spacing and theme kept on their device; in a reading layout
that stays light; printed; and without JavaScript."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.public_pages import load_public_pages

# The live server needs committed data; serialized_rollback keeps the roles the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"  # git-ignored
PAGE_WEIGHT_LIMIT = 100_000  # bytes before compression: HTML, CSS, JavaScript and fonts (images aside)


@pytest.fixture
def pages(db):
    return load_public_pages()


@pytest.fixture
def new_page(chromium):
    """A function giving a page in its own browser context (its own storage), closed afterwards."""
    contexts = []

    def new_page(**options):
        context = chromium.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def sideways_scroll(page):
    """How many pixels wider than the window the page is (0: no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def root_font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def line_spacing(page):
    """The body's line height as a multiple of its font size."""
    return page.evaluate("""(() => {
        const style = getComputedStyle(document.body);
        return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
    })()""")


def test_a_reader_on_a_small_phone_walks_the_site_by_tapping_without_sideways_scroll(
    new_page, live_server, pages
):
    page = new_page(**PHONE)
    visited = []

    def arrive(path_pattern):
        expect(page).to_have_url(re.compile(path_pattern))
        visited.append((page.url, sideways_scroll(page)))

    page.goto(f"{live_server.url}{pages['home']}")
    arrive(r"/$")
    page.get_by_role("link", name="Botox Injections for Fibromyalgia").first.tap()
    arrive(r"/articles/botox-injections-for-fibromyalgia/$")
    page.locator(".article-header").get_by_role("link", name="Fibro Warrior").tap()
    arrive(r"/authors/fibro-warrior/$")
    page.locator(".article-card .tag", has_text="pain-relief").first.tap()  # a topic several articles share
    arrive(r"/tags/[^/]+/$")
    first_topic = page.get_by_role("heading", level=1).inner_text().removeprefix("Topic: ")
    page.get_by_role("link", name="Combine with other topics").tap()
    arrive(r"/articles/\?tag=")
    narrowing = page.locator("aside .topic-list a").first
    second_topic = narrowing.inner_text()
    narrowing.tap()
    arrive(r"/articles/\?tag=.*&tag=")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Articles on {first_topic} + {second_topic}")
    page.get_by_role("link", name=f"Remove topic {second_topic}").tap()
    arrive(r"/articles/\?tag=[^&]+$")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Articles on {first_topic}")
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("botox")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").tap()
    arrive(r"/search/\?q=botox")
    page.locator(".search-hit h2 a").first.tap()
    arrive(r"/articles/[^/]+/$")

    assert len(visited) == 9
    assert [url for url, extra in visited if extra > 0] == []


def test_every_public_page_type_fits_a_360_px_phone_and_a_desktop(new_page, live_server, pages):
    too_wide = []
    for device in (PHONE, DESKTOP):
        page = new_page(**device)
        for name, url in pages.items():
            page.goto(f"{live_server.url}{url}")
            if sideways_scroll(page) > 0:
                too_wide.append(f"{name} at {device['viewport']['width']} px")
    assert too_wide == []


def test_text_size_spacing_and_theme_are_kept_on_the_next_page_and_after_a_reload(
    new_page, live_server, pages
):
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}{pages['home']}")
    light, normal_size, normal_spacing = background(page), root_font_size(page), line_spacing(page)
    assert normal_size == 18

    page.locator("summary", has_text="Reading settings").tap()
    page.get_by_role("group", name="Text size").get_by_label("Larger").check()
    page.get_by_role("group", name="Line spacing").get_by_label("Wide", exact=True).check()
    page.get_by_role("group", name="Theme").get_by_label("Dark", exact=True).check()
    assert root_font_size(page) > normal_size

    page.get_by_role("link", name="Botox Injections for Fibromyalgia").first.tap()
    expect(page).to_have_url(re.compile("/articles/botox"))
    for attempt in ("on the next page", "after a reload"):
        assert root_font_size(page) == 22, attempt  # "Larger": 137.5% of the browser's 16 px
        assert line_spacing(page) > normal_spacing + 0.2, attempt
        assert background(page) != light, attempt
        page.locator("summary", has_text="Reading settings").tap()
        expect(page.get_by_role("group", name="Theme").get_by_label("Dark", exact=True)).to_be_checked()
        expect(page.get_by_role("group", name="Text size").get_by_label("Larger")).to_be_checked()
        page.reload()
    assert sideways_scroll(page) == 0
    # Kept on the device, never in a cookie (every reader gets the same cached page).
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.getItem('fibrosite-theme')") == "dark"


def test_the_saved_settings_are_on_the_page_before_its_first_frame(new_page, live_server, pages):
    page = new_page(**DESKTOP)
    page.goto(f"{live_server.url}{pages['home']}")
    page.evaluate(
        "localStorage.setItem('fibrosite-theme', 'dark'); localStorage.setItem('fibrosite-size', 'largest')"
    )
    page.add_init_script("""requestAnimationFrame(() => {
        window.firstFrame = {theme: document.documentElement.dataset.theme, size: document.documentElement.dataset.size};
    });""")
    page.goto(f"{live_server.url}{pages['article']}")
    assert page.evaluate("window.firstFrame") == {"theme": "dark", "size": "largest"}
    script = page.locator("head script[src*='reading']")
    assert script.get_attribute("defer") is None and script.get_attribute("async") is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_device_until_the_reader_chooses_one(new_page, live_server, pages, scheme):
    other = {"light": "dark", "dark": "light"}[scheme]
    page = new_page(color_scheme=scheme, **DESKTOP)
    page.goto(f"{live_server.url}{pages['article']}")
    as_device = background(page), page.evaluate("getComputedStyle(document.body).color")
    page.locator("summary", has_text="Reading settings").click()
    page.get_by_role("group", name="Theme").get_by_label(other.capitalize()).check()
    chosen = background(page), page.evaluate("getComputedStyle(document.body).color")
    assert chosen[0] != as_device[0] and chosen[1] != as_device[1]
    page.get_by_role("group", name="Theme").get_by_label("As my device").check()
    assert background(page) == as_device[0]


def test_the_dark_theme_really_changes_the_colours(new_page, live_server, pages):
    light_page = new_page(color_scheme="light", **DESKTOP)
    dark_page = new_page(color_scheme="dark", **DESKTOP)
    colours = {}
    for name, page in (("light", light_page), ("dark", dark_page)):
        page.goto(f"{live_server.url}{pages['article']}")
        colours[name] = page.evaluate("""() => {
            const luminance = (colour) => {
                const [r, g, b] = colour.match(/[0-9.]+/g).map(Number);
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const style = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
            return {background: luminance(style("body", "backgroundColor")), text: luminance(style("body", "color")),
                    link: style(".article-header a", "color"), header: style(".site-header", "backgroundColor")};
        }""")
    assert colours["light"]["background"] > 200 and colours["light"]["text"] < 60
    assert colours["dark"]["background"] < 40 and colours["dark"]["text"] > 200
    assert colours["light"]["link"] != colours["dark"]["link"]
    assert colours["light"]["header"] != colours["dark"]["header"]


def test_the_article_reads_as_one_column_of_60_to_75_characters_at_18_px_or_more(
    new_page, live_server, pages
):
    page = new_page(**DESKTOP)
    page.goto(f"{live_server.url}{pages['article-reviewed']}")
    text = page.evaluate("""() => {
        const paragraph = [...document.querySelectorAll('.article-body p')].sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const style = getComputedStyle(paragraph);
        const node = paragraph.firstChild, range = document.createRange();
        let firstLine = 0, top = null;
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getBoundingClientRect();
            if (top === null) top = rect.top;
            if (rect.top > top + 2) break;
            firstLine = i + 1;
        }
        return {size: parseFloat(style.fontSize), leading: parseFloat(style.lineHeight), firstLine, length: node.length};
    }""")
    assert text["size"] >= 18
    assert text["leading"] >= 1.5 * text["size"]
    assert text["length"] > 150, "the longest paragraph should run over several lines"
    assert 60 <= text["firstLine"] <= 75


def test_the_contents_sit_beside_a_long_article_and_stay_there_while_reading(new_page, live_server, pages):
    page = new_page(**DESKTOP)
    page.goto(f"{live_server.url}{pages['article']}")
    toc, body = page.locator(".toc").bounding_box(), page.locator(".article-body").bounding_box()
    assert toc["x"] >= body["x"] + body["width"]
    page.evaluate("window.scrollTo({top: 1500, behavior: 'instant'})")
    assert page.evaluate("window.scrollY") > 1000
    assert 0 <= page.locator(".toc").bounding_box()["y"] < 100, "the contents should stay in view (sticky)"

    phone = new_page(**PHONE)
    phone.goto(f"{live_server.url}{pages['article']}")
    toc, body = phone.locator(".toc").bounding_box(), phone.locator(".article-body").bounding_box()
    assert toc["y"] + toc["height"] <= body["y"], "on a phone the contents come before the text"


def test_the_reply_section_lines_up_with_the_text(new_page, live_server, pages):
    page = new_page(**DESKTOP)
    page.goto(f"{live_server.url}{pages['article-reviewed']}")
    body = page.locator(".article-body").bounding_box()
    for part in (".replies", ".reply-form", "#reply-form textarea"):
        box = page.locator(part).bounding_box()
        assert box["x"] == pytest.approx(body["x"], abs=1), part
        assert box["width"] == pytest.approx(body["width"], abs=1), part


def test_on_a_phone_the_header_is_compact_and_the_title_in_view(new_page, live_server, pages):
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}{pages['article']}")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 120
    assert page.get_by_role("search", name="Site").is_visible()
    title = page.get_by_role("heading", level=1).bounding_box()
    assert title["y"] + title["height"] < 740 / 2


def test_the_skip_link_and_focus_outlines_are_visible(new_page, live_server, pages):
    page = new_page(**DESKTOP)
    page.goto(f"{live_server.url}{pages['article']}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
    }""")
    assert outline["style"] == "solid" and outline["width"] >= 2
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#content$"))


def test_reduced_motion_is_respected(new_page, live_server, pages):
    calm = new_page(reduced_motion="reduce", **DESKTOP)
    calm.goto(f"{live_server.url}{pages['article']}")
    assert calm.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    moving = new_page(reduced_motion="no-preference", **DESKTOP)
    moving.goto(f"{live_server.url}{pages['article']}")
    assert moving.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"


def test_a_printed_article_keeps_its_sources_review_line_and_link_addresses(new_page, live_server, pages):
    page = new_page(**DESKTOP)
    page.goto(f"{live_server.url}{pages['article-reviewed']}")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".reply-form", ".toc, .related"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator(".review-line")).to_be_visible()
    expect(page.locator(".sources")).to_be_visible()
    link = page.locator(".sources a").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in after
    assert background(page) == "rgb(255, 255, 255)"


def test_without_javascript_the_pages_work_and_show_no_dead_controls(new_page, live_server, pages):
    page = new_page(java_script_enabled=False, **PHONE)
    page.goto(f"{live_server.url}{pages['home']}")
    expect(page.locator("#reading-settings")).to_be_hidden()
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("botox")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").tap()
    expect(page.locator(".search-hit")).not_to_have_count(0)
    page.locator(".search-hit h2 a").first.tap()
    expect(page.locator(".article-body")).to_be_visible()
    assert sideways_scroll(page) == 0


@pytest.mark.parametrize("name", ["home", "article"])
def test_the_home_and_article_pages_weigh_under_100_kb_before_compression(new_page, live_server, pages, name):
    page = new_page(**DESKTOP)
    sizes = {}
    page.on(
        "response",
        lambda response: (
            sizes.__setitem__(response.url, len(response.body()))
            if response.request.resource_type in {"document", "stylesheet", "script", "font"}
            else None
        ),
    )
    page.goto(f"{live_server.url}{pages[name]}", wait_until="networkidle")
    assert any(url.endswith(".css") for url in sizes) and any(url.endswith(".js") for url in sizes)
    assert sum(sizes.values()) < PAGE_WEIGHT_LIMIT, sizes
    # Nothing is loaded from another site.
    assert all(url.startswith(live_server.url) for url in sizes)


def test_screenshots_of_every_public_page_type_light_and_dark(new_page, live_server, pages):
    SCREENSHOTS.mkdir(exist_ok=True)
    taken = []
    for width in (1280, 360):
        for scheme in ("light", "dark"):
            page = new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
            for name, url in pages.items():
                page.goto(f"{live_server.url}{url}")
                path = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=path, full_page=True)
                taken.append(path)
    assert len(taken) == 4 * len(pages)
    assert all(path.stat().st_size > 1000 for path in taken)


def test_the_reading_settings_open_in_one_tap_and_close_with_escape_or_a_tap_beside(
    new_page, live_server, pages
):
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}{pages['article']}")
    settings_button = page.locator("summary", has_text="Reading settings")
    theme = page.get_by_role("group", name="Theme")
    settings_button.tap()
    expect(theme).to_be_visible()
    expect(theme.get_by_label("As my device")).to_be_checked()
    assert sideways_scroll(page) == 0
    page.keyboard.press("Escape")
    expect(theme).to_be_hidden()
    expect(settings_button).to_be_focused()
    settings_button.tap()
    page.touchscreen.tap(180, 700)  # on the article, below the open panel
    expect(theme).to_be_hidden()
