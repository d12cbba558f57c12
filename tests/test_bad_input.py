"""Bad input on public pages answers cleanly: a 404 in the site's own template, or a 200 with a message.

Odd page numbers, unknown or strange slugs, unpublished articles and odd tag filters must never
give a 500 (the test client re-raises any exception a view lets through, so a 500 fails the test).
"""

from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_article, make_author, make_draft, make_in_review, make_scheduled, make_tag

NOT_FOUND_HEADING = "We couldn't find that page"  # from templates/404.html
DISCLAIMER = "not medical advice"  # from the footer of templates/base.html
ARTICLE_CARD = 'class="article-card"'
NO_MATCH_MESSAGE = "no articles have all of these tags"
TOO_MANY_TAGS_MESSAGE = "Only the first few topics were used"
SCRIPT = "<script>alert(1)</script>"
SLASHLESS_MARKUP = "<img src=x onerror=alert(1)>"  # a slug cannot hold "/", so no closing tag


def assert_site_404(response):
    """The response is a 404 rendered with templates/404.html inside the site's header and footer."""
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    body = response.content.decode()
    assert NOT_FOUND_HEADING in body
    assert DISCLAIMER in body
    assert 'class="site-name"' in body


def article_cards(response):
    return response.content.decode().count(ARTICLE_CARD)


def listed_pks(response):
    return [article.pk for article in response.context["object_list"]]


# --- Page numbers on every paginated public page ---------------------------------------------------

PAGINATED_PAGES = ["articles:list", "articles:tag", "authors:profile"]

BAD_PAGE_NUMBERS = {
    "zero": "0",
    "negative": "-1",
    "word": "abc",
    "beyond the last page": "99999",
    "digits past Python's int() limit": "9" * 5000,
    "digits under Python's int() limit": "9" * 4000,
    "decimal": "1.5",
}


@pytest.fixture
def two_pages(db):
    """Two pages' worth of published articles, all by one author and all on one topic."""
    author = make_author("Night Owl")
    tag = make_tag("Sleep")
    for days_ago in range(1, settings.ARTICLES_PER_PAGE + 2):
        make_article(author=author, tags=[tag], days_ago=days_ago)
    return SimpleNamespace(author=author, tag=tag)


def paginated_url(name, data):
    slugs = {"articles:list": None, "articles:tag": data.tag.slug, "authors:profile": data.author.slug}
    return reverse(name, kwargs={"slug": slugs[name]} if slugs[name] else {})


@pytest.mark.parametrize("page", BAD_PAGE_NUMBERS.values(), ids=BAD_PAGE_NUMBERS.keys())
@pytest.mark.parametrize("name", PAGINATED_PAGES)
def test_bad_page_number_is_a_404_in_the_site_template(client, two_pages, name, page):
    response = client.get(paginated_url(name, two_pages), {"page": page})

    assert_site_404(response)


@pytest.mark.parametrize("page", ["1", "2", "last", ""])
@pytest.mark.parametrize("name", PAGINATED_PAGES)
def test_existing_page_number_answers_200(client, two_pages, name, page):
    response = client.get(paginated_url(name, two_pages), {"page": page})

    assert response.status_code == 200
    assert article_cards(response) > 0


# --- Unknown slugs -------------------------------------------------------------------------------

SLUGGED_PAGES = ["articles:detail", "articles:tag", "authors:profile"]

UNKNOWN_SLUGS = {
    "ascii": "no-such-thing",
    "accented": "é",
    "japanese": "日本語",
    "500 characters": "a" * 500,
    "percent signs": "%E9%ZZ%00%2F..%2F",
    "markup": SLASHLESS_MARKUP,
}

# Raw percent-escapes in the path itself: invalid UTF-8, an overlong "/", a NUL byte.
BROKEN_ESCAPES = {"invalid utf-8": "%FF%FE", "overlong slash": "%C0%AF", "nul byte": "x%00y"}
MARKER = "SLUG-PLACEHOLDER"


def url_with_slug(name, slug):
    """The page's URL with `slug` in place, even one that reverse() would refuse to build."""
    return reverse(name, kwargs={"slug": MARKER}).replace(MARKER, quote(slug, safe="%"))


@pytest.fixture
def one_of_each(db):
    """One published article, so each kind of page exists for some slug."""
    return make_article("A real article", author=make_author("Real Author"), tags=[make_tag("Real Topic")])


@pytest.mark.parametrize("slug", UNKNOWN_SLUGS.values(), ids=UNKNOWN_SLUGS.keys())
@pytest.mark.parametrize("name", SLUGGED_PAGES)
def test_unknown_slug_is_a_404_in_the_site_template(client, one_of_each, name, slug):
    response = client.get(url_with_slug(name, slug))

    assert_site_404(response)


@pytest.mark.parametrize("escapes", BROKEN_ESCAPES.values(), ids=BROKEN_ESCAPES.keys())
@pytest.mark.parametrize("name", SLUGGED_PAGES)
def test_slug_with_broken_percent_escapes_is_a_404_in_the_site_template(client, one_of_each, name, escapes):
    # reverse() escapes "%" itself, so the raw escapes go in after reversing a placeholder.
    url = reverse(name, kwargs={"slug": MARKER}).replace(MARKER, escapes)

    response = client.get(url)

    assert_site_404(response)


@pytest.mark.parametrize("name", SLUGGED_PAGES)
def test_unknown_slug_404_does_not_echo_markup(client, one_of_each, name):
    response = client.get(url_with_slug(name, SLASHLESS_MARKUP))

    assert SLASHLESS_MARKUP not in response.content.decode()


# --- Articles the public may not see ----------------------------------------------------------------

HIDDEN = {"draft": make_draft, "in review": make_in_review, "scheduled": make_scheduled}
HIDDEN_TITLE = "Unreleased Ketamine Diary"


@pytest.mark.parametrize("make_hidden", HIDDEN.values(), ids=HIDDEN.keys())
def test_unpublished_article_detail_is_a_404_in_the_site_template(client, db, make_hidden):
    article = make_hidden(title=HIDDEN_TITLE)

    response = client.get(reverse("articles:detail", kwargs={"slug": article.slug}))

    assert_site_404(response)


@pytest.mark.parametrize("make_hidden", HIDDEN.values(), ids=HIDDEN.keys())
def test_unpublished_article_404_does_not_show_its_title(client, db, make_hidden):
    article = make_hidden(title=HIDDEN_TITLE)

    response = client.get(reverse("articles:detail", kwargs={"slug": article.slug}))

    assert HIDDEN_TITLE not in response.content.decode()


# --- The tag filter of the article list ---------------------------------------------------------------


@pytest.fixture
def tagged(db):
    """Three published articles: one on sleep and pain, one on sleep only, one with no topic."""
    sleep, pain = make_tag("Sleep"), make_tag("Pain")
    return SimpleNamespace(
        sleep=sleep,
        pain=pain,
        both=make_article("Sleep and pain", tags=[sleep, pain]),
        sleep_only=make_article("Just sleep", tags=[sleep]),
        untagged=make_article("No topic at all"),
    )


def filtered(client, tags):
    return client.get(reverse("articles:list"), {"tag": tags})


def test_unknown_tag_filter_says_no_articles_have_all_of_these_tags(client, tagged):
    response = filtered(client, ["no-such-topic"])

    assert response.status_code == 200
    assert NO_MATCH_MESSAGE in response.content.decode().lower()


def test_unknown_tag_filter_shows_no_article_cards(client, tagged):
    response = filtered(client, ["no-such-topic"])

    assert article_cards(response) == 0


def test_unknown_tag_with_markup_is_never_echoed_raw(client, tagged):
    response = filtered(client, [SCRIPT])

    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()


def test_unknown_tag_with_markup_is_echoed_escaped(client, tagged):
    response = filtered(client, [SCRIPT])

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


# --- Markup in what writers type, on the parts pages write out in Python (cards.py) ------------------

HOSTILE = "Tea & <b>\"tips\"</b> 'n' " + SCRIPT
HOSTILE_ESCAPED = (
    "Tea &amp; &lt;b&gt;&quot;tips&quot;&lt;/b&gt; &#x27;n&#x27; &lt;script&gt;alert(1)&lt;/script&gt;"
)


def test_markup_in_titles_headings_and_topics_is_shown_escaped_on_the_article_and_the_list(client, db):
    topic, other_topic = make_tag(HOSTILE), make_tag("Sleep")
    body = f"Words.\n\n## {HOSTILE_ESCAPED}\n\nMore.\n\n## Two\n\nEnd."  # a heading: the same words
    article = make_article("Plain title", tags=[topic, other_topic], body=body)
    make_article(HOSTILE, tags=[topic, other_topic], days_ago=3)  # a related article
    make_article(tags=[other_topic], days_ago=5)  # so that the topic narrows the list of Sleep

    page = client.get(article.get_absolute_url()).content.decode()
    listing = client.get(reverse("articles:list")).content.decode()
    narrowed = client.get(reverse("articles:list"), {"tag": other_topic.slug}).content.decode()

    toc = page.split('id="toc-heading"')[1].split("</nav>")[0]
    related = page.split('id="related-heading"')[1].split("</section>")[0]
    assert HOSTILE_ESCAPED in toc and HOSTILE_ESCAPED in related  # the contents, a related article
    narrowing = listing.split('id="narrow-heading"')[1].split("</aside>")[0]
    narrowing_further = narrowed.split('id="narrow-heading"')[1].split("</aside>")[0]
    assert HOSTILE_ESCAPED in narrowing and HOSTILE_ESCAPED in narrowing_further  # "Filter by topic"
    for html in (page, listing, narrowed):
        assert SCRIPT not in html and "<b>" not in html


ODD_TAG_VALUES = {
    "5,000 characters": "x" * 5000,
    "5,000 non-ascii characters": "é" * 5000,
    "a NUL byte": "sleep\x00",
    "é": "é",
    "ü": "ü",
    "cyrillic": "сон",
    "japanese": "日本語",
    "spaces and punctuation": "  a / b ? c & d  ",
}


@pytest.mark.parametrize("value", ODD_TAG_VALUES.values(), ids=ODD_TAG_VALUES.keys())
def test_odd_tag_filter_value_answers_200(client, tagged, value):
    response = filtered(client, [value])

    assert response.status_code == 200


def test_repeated_tag_parameter_selects_the_same_articles_as_one(client, tagged):
    once = filtered(client, [tagged.sleep.slug])
    twice = filtered(client, [tagged.sleep.slug, tagged.sleep.slug])

    assert listed_pks(once) == [tagged.sleep_only.pk, tagged.both.pk]
    assert listed_pks(twice) == listed_pks(once)


def test_empty_tag_parameter_is_the_same_as_no_filter(client, tagged):
    unfiltered = client.get(reverse("articles:list"))
    empty = filtered(client, [""])

    assert empty.status_code == 200
    assert len(listed_pks(unfiltered)) == 3
    assert listed_pks(empty) == listed_pks(unfiltered)


def test_empty_tag_parameter_shows_no_filter_message(client, tagged):
    response = filtered(client, [""])

    assert NO_MATCH_MESSAGE not in response.content.decode().lower()


@pytest.fixture
def six_tags(db):
    """Six topics and one article carrying all of them."""
    tags = [make_tag(f"Topic {n}") for n in range(6)]
    make_article("On everything", tags=tags)
    return tags


def test_more_than_five_known_tags_answer_200(client, six_tags):
    response = filtered(client, [tag.slug for tag in six_tags])

    assert response.status_code == 200


def test_more_than_five_known_tags_say_only_the_first_few_were_used(client, six_tags):
    response = filtered(client, [tag.slug for tag in six_tags])

    assert TOO_MANY_TAGS_MESSAGE in response.content.decode()


def test_many_unknown_tags_answer_200(client, six_tags):
    response = filtered(client, [f"unknown-{n}" for n in range(50)])

    assert response.status_code == 200


# --- Tags named in other scripts ---------------------------------------------------------------------

TAG_NAMES = ["café", "Ärzte", "Сон", "鍼治療", "!!!"]


@pytest.fixture
def script_tag(db, request):
    """A tag with the parametrised name and one published article carrying it."""
    tag = make_tag(request.param)
    article = make_article(f"An article on {request.param}", tags=[tag])
    return SimpleNamespace(tag=tag, article=article)


@pytest.mark.parametrize("script_tag", TAG_NAMES, indirect=True)
def test_tag_named_in_any_script_gets_a_non_empty_slug(script_tag):
    assert script_tag.tag.slug.strip("-_ ")


@pytest.mark.parametrize("script_tag", TAG_NAMES, indirect=True)
def test_tag_page_of_a_tag_named_in_any_script_lists_its_article(client, script_tag):
    response = client.get(reverse("articles:tag", kwargs={"slug": script_tag.tag.slug}))

    assert response.status_code == 200
    assert listed_pks(response) == [script_tag.article.pk]


@pytest.mark.parametrize("script_tag", TAG_NAMES, indirect=True)
def test_tag_filter_by_a_slug_in_any_script_lists_its_article(client, script_tag):
    response = filtered(client, [script_tag.tag.slug])

    assert response.status_code == 200
    assert listed_pks(response) == [script_tag.article.pk]


def test_a_contents_entry_without_some_of_its_parts_renders_them_empty():
    from articles.templatetags.cards import toc_items

    assert toc_items([{"name": "<Intro>"}]) == '<li class="toc-level-"><a href="#">&lt;Intro&gt;</a></li>'
