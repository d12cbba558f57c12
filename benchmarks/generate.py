"""Generate the benchmark data set: many articles, topics and authors, bulk-inserted.

Usage (from the project root, with DATABASE_URL pointing at an empty, migrated database):
    python -m benchmarks.generate --articles 100000 [--tags 5000] [--authors 1000]
"""

import argparse
import html
import os
import random
from datetime import timedelta

import django

COMMON_WORD = "pain"  # in every body: the "common word" search
RARE_WORD = "zephyrine"  # in ten articles whatever the size: the "rare word" search
BODY_VARIANTS = 60
BATCH = 2000
HERO = "articles/bench-hero.jpg"  # one drawn picture every generated article shows, with its renditions
HERO_ALT = "Drawing of a low sun rising over soft green hills."


def store_hero():
    """Store HERO and its renditions once (MEDIA_ROOT), as a save in the admin would; its size."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from articles.demo.pictures import HERO_SIZE, hills
    from authors.renditions import make_renditions

    if not default_storage.exists(HERO):
        buffer = BytesIO()
        hills().save(buffer, format="JPEG", quality=85)
        default_storage.save(HERO, ContentFile(buffer.getvalue()))
        make_renditions(default_storage, HERO, *HERO_SIZE)
    return HERO_SIZE


def words(rng, count, vocabulary):
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def body_variant(rng, vocabulary, rare=False):
    """About 800 words of Markdown in four sections."""
    sections = []
    for n in range(4):
        paragraphs = [f"{words(rng, 95, vocabulary)} {COMMON_WORD}." for _ in range(2)]
        sections.append(f"## Part {n + 1}: {words(rng, 3, vocabulary)}\n\n" + "\n\n".join(paragraphs))
    if rare:
        sections.append(f"A note on {RARE_WORD} treatment.")
    return "\n\n".join(sections)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=5000)
    parser.add_argument("--authors", type=int, default=1000)
    parser.add_argument("--tags-per-article", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fibrosite.settings")
    django.setup()
    import nh3
    from django.db import transaction
    from django.utils import timezone
    from tqdm import tqdm

    from articles import author_counts
    from articles.digest import content_digest
    from articles.models import Article, SearchEntry, Tag, TaggedArticle
    from articles.rendering import render_markdown
    from articles.search import update_vectors
    from articles.topic_counts import recount
    from authors.models import Author

    if Article.objects.exists():
        raise SystemExit("The database already has articles; generate into an empty, migrated database.")
    hero_width, hero_height = store_hero()
    rng = random.Random(options.seed)
    syllables = [
        "fi",
        "bro",
        "my",
        "al",
        "gia",
        "sle",
        "ep",
        "mo",
        "ve",
        "ca",
        "lm",
        "rest",
        "tea",
        "walk",
        "ta",
    ]
    vocabulary = sorted(
        {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(8000)}
    )

    variants = []
    for n in range(BODY_VARIANTS + 1):
        body = body_variant(rng, vocabulary, rare=(n == BODY_VARIANTS))
        rendered = render_markdown(body)
        text = html.unescape(nh3.clean(rendered.html, tags=set()))
        variants.append((body, rendered, text))

    with transaction.atomic():
        tags = Tag.objects.bulk_create(
            [
                Tag(name=f"topic {n}", slug=f"topic-{n}", description=f"About topic {n}.")
                for n in range(options.tags)
            ]
        )
        authors = Author.objects.bulk_create(
            [
                Author(pseudonym=f"Writer {n}", slug=f"writer-{n}", bio="Lives with fibromyalgia.")
                for n in range(options.authors)
            ]
        )
    # A few topics are popular, most are rare (as on real sites): weights fall off as 1/rank.
    tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
    now = timezone.now()
    span = timedelta(days=5 * 365).total_seconds()
    rare_every = max(1, options.articles // 10)
    progress = tqdm(total=options.articles, unit="article", desc="articles")
    for start in range(0, options.articles, BATCH):
        stop = min(start + BATCH, options.articles)
        with transaction.atomic():
            batch, chosen, texts = [], [], []
            for i in range(start, stop):
                rare = i % rare_every == rare_every // 2 + 1  # (not a multiple of 100: the drafts)
                body, rendered, text = variants[BODY_VARIANTS if rare else rng.randrange(BODY_VARIANTS)]
                texts.append(text)
                published = i % 100 != 0  # one in a hundred is a draft
                # Random draws in the order they always were, so that a seed gives the same site.
                title, summary = f"{words(rng, 4, vocabulary).title()} {i}", words(rng, 25, vocabulary)
                author = authors[rng.randrange(len(authors))]
                published_at = now - timedelta(seconds=rng.random() * span) if published else None
                batch.append(
                    Article(
                        title=title,
                        slug=f"article-{i}",
                        summary=summary,
                        body=body,
                        body_html=rendered.html,
                        toc=rendered.toc,
                        reading_minutes=rendered.reading_minutes,
                        author=author,
                        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
                        published_at=published_at,
                        # bulk_create skips save(): written as if never revised since publication
                        revised_at=published_at or now,
                        content_digest=content_digest(title, summary, body, []),
                        # Every article shows the same hero: article pages and cards name its renditions.
                        hero_image=HERO,
                        hero_alt=HERO_ALT,
                        hero_width=hero_width,
                        hero_height=hero_height,
                    )
                )
                chosen.append(
                    set(rng.choices(range(len(tags)), weights=tag_weights, k=options.tags_per_article))
                )
            articles = Article.objects.bulk_create(batch)
            TaggedArticle.objects.bulk_create(
                [
                    TaggedArticle(content_object=a, tag=tags[t], published_at=a.public_since)
                    for a, picks in zip(articles, chosen, strict=True)
                    for t in picks
                ]
            )
            SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        article=a,
                        title=a.title,
                        summary=a.summary,
                        body=text,
                        tags=" ".join(tags[t].name for t in picks),
                    )
                    for a, picks, text in zip(articles, chosen, texts, strict=True)
                ]
            )
            update_vectors(SearchEntry.objects.filter(pk__in=[a.pk for a in articles]))
        progress.update(stop - start)
    progress.close()
    recount()  # bulk_create sends no signals: the topics' stored counts are made once, at the end
    author_counts.recount()  # and the authors'
    print(f"Generated {options.articles} articles, {options.tags} topics, {options.authors} authors.")


if __name__ == "__main__":
    main()
