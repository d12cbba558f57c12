"""`day` and `iso` (articles/templatetags/dates.py) write what Django's `date` filter writes with
"j F Y" and "c", in the site's time zone, without fractions of a second."""

import datetime
import zoneinfo

from django.template.defaultfilters import date as django_date
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.templatetags.dates import day, iso

moments = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1),
    max_value=datetime.datetime(2200, 12, 31),
    timezones=st.just(datetime.UTC),
)


@settings(max_examples=300, deadline=None)
@given(moment=moments, zone=st.sampled_from(["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"]))
def test_day_and_iso_match_djangos_date_filter_in_the_sites_time_zone(moment, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        local = timezone.localtime(moment)  # what the template engine hands a filter marked expects_localtime
        assert day(local) == django_date(local, "j F Y")
        assert iso(local) == django_date(local.replace(microsecond=0), "c")
        assert "." not in iso(local)


def test_a_plain_date_and_no_date():
    assert (day(datetime.date(2026, 3, 4)), iso(datetime.date(2026, 3, 4))) == ("4 March 2026", "2026-03-04")
    assert (day(None), iso(None), day(""), iso("")) == ("", "", "", "")


def test_templates_render_the_local_time(settings):
    from django.template import Context, Template

    settings.TIME_ZONE = "America/New_York"
    moment = datetime.datetime(2026, 1, 1, 3, 30, 15, 123456, tzinfo=datetime.UTC)  # 31 Dec 2025 there
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        text = Template("{% load dates %}{{ m|day }}|{{ m|iso }}").render(Context({"m": moment}))
    assert text == "31 December 2025|2025-12-31T22:30:15-05:00"
