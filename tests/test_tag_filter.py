"""`/articles/?tag=a&tag=b` keeps the articles carrying every tag given, with counts that narrow further."""

import pytest
from django.urls import reverse

from tests.factories import make_article, make_draft, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    names = ["exercise", "sleep", "pain-relief", "diet"]
    tag = {name: make_tag(name) for name in names}
    make_article("Walking", tags=[tag["exercise"], tag["pain-relief"], tag["sleep"]])
    make_article("Swimming", tags=[tag["exercise"], tag["pain-relief"]])
    make_article("Yoga", tags=[tag["exercise"], tag["sleep"]])
    make_article("Food diary", tags=[tag["diet"]])
    make_draft(title="Draft run", tags=[tag["exercise"], tag["pain-relief"], tag["sleep"], tag["diet"]])
    return tag


def titles(response):
    return sorted(article.title for article in response.context["object_list"])


def filtered(client, *slugs):
    query = "&".join(f"tag={slug}" for slug in slugs)
    return client.get(f"{reverse('articles:list')}?{query}")


@pytest.mark.parametrize(
    ("slugs", "expected"),
    [
        ((), ["Food diary", "Swimming", "Walking", "Yoga"]),
        (("exercise",), ["Swimming", "Walking", "Yoga"]),
        (("exercise", "pain-relief"), ["Swimming", "Walking"]),
        (("exercise", "pain-relief", "sleep"), ["Walking"]),
        (("pain-relief", "sleep", "exercise"), ["Walking"]),
        (("diet", "exercise"), []),
    ],
)
def test_filter_keeps_articles_with_every_tag(client, topics, slugs, expected):
    assert titles(filtered(client, *slugs)) == expected


def test_narrowing_counts_count_the_filtered_articles_per_remaining_tag(client, topics):
    response = filtered(client, "exercise")
    counts = {tag.name: tag.article_count for tag, _ in response.context["narrowing"]}
    assert counts == {"pain-relief": 2, "sleep": 2}


def test_every_narrowing_link_gives_as_many_articles_as_its_count(client, topics):
    response = filtered(client, "exercise")
    for tag, query in response.context["narrowing"]:
        narrowed = client.get(f"{reverse('articles:list')}?{query}")
        assert len(narrowed.context["object_list"]) == tag.article_count


def test_active_tags_have_links_that_remove_each(client, topics):
    response = filtered(client, "exercise", "sleep")
    removals = {tag.name: query for tag, query in response.context["tag_filter"].removal_links()}
    assert removals == {"exercise": "tag=sleep", "sleep": "tag=exercise"}
    html = response.content.decode()
    assert 'href="?tag=sleep"' in html and 'href="?tag=exercise"' in html


def test_no_match_says_so(client, topics):
    response = filtered(client, "diet", "exercise")
    assert "No articles have all of these tags" in response.content.decode()


def test_tag_lookup_by_slug_is_exact(client, topics):
    assert titles(filtered(client, "EXERCISE")) == []


def test_pagination_keeps_the_filter(client, settings):
    tag = make_tag("pacing")
    for n in range(12):
        make_article(f"Pacing {n}", tags=[tag], days_ago=n + 1)
    make_article("Unrelated")
    first = filtered(client, "pacing")
    assert 'href="?tag=pacing&amp;page=2"' in first.content.decode()
    second = client.get(f"{reverse('articles:list')}?tag=pacing&page=2")
    assert titles(second) == ["Pacing 10", "Pacing 11"]


def test_a_tag_every_result_carries_is_not_offered_as_narrowing(client, topics):
    response = filtered(
        client, "exercise", "pain-relief"
    )  # Walking and Swimming: both exercise + pain-relief
    assert [(tag.name, tag.article_count) for tag, _ in response.context["narrowing"]] == [("sleep", 1)]
    single = filtered(client, "exercise", "pain-relief", "sleep")
    assert single.context["narrowing"] == []


def test_an_unknown_topic_does_not_take_the_topic_filter_from_the_unfiltered_list(client, topics):
    # Both have no active topic; only the unfiltered list has topics to offer.
    filtered(client, "no-such-topic")

    assert "Filter by topic" in client.get(reverse("articles:list")).content.decode()


def test_a_topic_with_only_unpublished_articles_is_an_unknown_topic(client, topics):
    hidden = make_tag("hidden")
    make_draft(title="Hidden run", tags=[hidden, topics["exercise"]])

    response = filtered(client, "exercise", "hidden")

    assert response.context["tag_filter"].unknown == ["hidden"]
    assert [tag.name for tag in response.context["tag_filter"].active] == ["exercise"]
    assert titles(response) == []
