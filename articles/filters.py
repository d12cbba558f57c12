"""The multi-tag filter of the article list: `?tag=a&tag=b` keeps articles carrying every tag given."""

from urllib.parse import quote_plus

from django.utils.functional import cached_property

from articles import listings
from articles.cache import public_topics, tags_in_use, topic_count
from articles.models import topics_among
from authors.converters import SLUG_RE

MAX_TAGS = 5  # each tag adds a join; five topics at once is already a very narrow search
MAX_NARROWING = 25  # how many "narrow further" topics to offer
# "Narrow further" counts the topics of at most this many of the newest matches: counting them over
# tens of thousands of articles would cost tens of milliseconds (the page says so when it applies).
# With several topics, the matches among the newest NARROWING_WINDOW articles of the rarest one.
NARROWING_WINDOW = 500


class TagFilter:
    """Parses the `tag` parameters of a request and says what they select."""

    def __init__(self, params):
        slugs = list(dict.fromkeys(s.strip() for s in params.getlist("tag") if s.strip()))
        self.too_many = len(slugs) > MAX_TAGS
        slugs = slugs[:MAX_TAGS]
        # A topic without a published article is unknown, exactly like one that does not exist.
        found = {tag.slug: tag for tag in public_topics(list(filter(SLUG_RE.fullmatch, slugs)))}
        self.active = [found[slug] for slug in slugs if slug in found]
        self.unknown = [slug for slug in slugs if slug not in found]

    def apply(self, articles):
        """The articles carrying every active tag; none if a requested tag is unknown (missing or
        without a published article)."""
        if self.unknown:
            return articles.none()
        return articles.with_tags(self.active)

    def article_ids(self):
        """(ids of the public articles carrying every active tag, newest first; their number when
        it is stored, else None: all published articles, and the matches of several topics, which
        would cost an index probe per article of the rarest topic to count, are paged uncounted)."""
        if self.unknown:
            return [], 0
        if not self.active:
            return listings.newest_ids(), None
        if len(self.active) == 1:
            return listings.article_ids(self.active), topic_count(self.active[0])
        # The first pages of several topics' matches are the newest matches "Narrow further" counts:
        # read once for both (finding the matches is most of the work on PostgreSQL).
        return listings.article_ids(self.active, head=self.narrowing_articles()), None

    def narrowing_articles(self):
        """The articles whose topics "Narrow further" counts: None for all published ones (their
        counts are stored), else the newest matches: NARROWING_WINDOW of one topic's articles, or
        the matches among the newest NARROWING_WINDOW articles of the rarest of several topics."""
        if not self.active:
            return None
        if len(self.active) == 1:
            return listings.article_ids(self.active).first(NARROWING_WINDOW)
        return self._newest_matches

    @cached_property
    def _newest_matches(self):
        return listings.article_ids(self.active, within_newest=NARROWING_WINDOW)

    def narrowing_note(self, total):
        """What the page says when "Narrow further" counts only the newest matches, else None."""
        if len(self.active) == 1 and total > NARROWING_WINDOW:
            return f"Counts among the newest {NARROWING_WINDOW} of these articles."
        if len(self.active) > 1 and not self._newest_matches.holds_all:  # read already by the list
            rarest = min(self.active, key=lambda tag: tag.published_article_count)
            return f"Counts among the matches in the newest {NARROWING_WINDOW} articles on “{rarest.name}”."
        return None

    def narrowing(self, articles, whole=True):
        """Tags that would narrow `articles` (ids or a query of them; None for all published ones,
        whose topic counts are stored) further, with their counts among them and the query adding
        each. A tag all of them carry would not narrow anything, so it is left out, unless they are
        not `whole` (only the newest matches: it may still narrow the others)."""
        if articles is None:
            tags = tags_in_use(limit=MAX_NARROWING)  # a topic on every published article: not checked
        else:
            leave_out = [tag.pk for tag in self.active]
            tags = topics_among(articles, leave_out, carried_by_fewer=whole, limit=MAX_NARROWING)
        return [(tag, self.query_with(tag)) for tag in tags]

    def cache_key(self):
        """The whole normalised request, as a fragment's key: the known topics in their order, the
        unknown ones and whether some were left out (pagecache's {% fragment %})."""
        return "\x1e".join([self.query, ",".join(self.unknown), str(self.too_many)])

    def removal_links(self):
        """(tag, query string without that tag) for each active tag."""
        return [(tag, self.query_for([t for t in self.active if t != tag])) for tag in self.active]

    def query_with(self, tag):
        return self.query_for([*self.active, tag])

    @property
    def query(self):
        """The query string of the active tags, kept by pagination links."""
        return self.query_for(self.active)

    @staticmethod
    def query_for(tags):
        """The query string that selects articles carrying all of `tags`."""
        return "&".join("tag=" + quote_plus(tag.slug) for tag in tags)  # as QueryDict.urlencode()
