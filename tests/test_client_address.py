"""The reader's address comes from X-Forwarded-For only when a trusted proxy of ours says so."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from replies.clients import client_address, client_fingerprint

PROXIES = ["10.0.0.0/8", "192.0.2.10", "2001:db8:ffff::/48"]


def request_from(peer, forwarded=None):
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = PROXIES


@pytest.mark.parametrize(
    ("peer", "forwarded"),
    [
        ("203.0.113.7", "198.51.100.1"),
        ("203.0.113.7", "198.51.100.1, 10.0.0.5"),
        ("203.0.113.7", "garbage"),
        ("2001:db8::7", "198.51.100.1"),
    ],
)
def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address(proxies, peer, forwarded):
    assert client_address(request_from(peer, forwarded)) == peer


def test_with_no_trusted_proxy_configured_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("10.0.0.5", "198.51.100.1")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.0.0.5", "198.51.100.1", "198.51.100.1"),
        # The client wrote its own header; our proxies appended the real hops: the spoof stays left.
        ("10.0.0.5", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        ("10.0.0.5", "1.2.3.4, 198.51.100.1, 192.0.2.10, 10.9.9.9", "198.51.100.1"),
        ("10.0.0.5", " 198.51.100.1 ,  10.1.2.3 ", "198.51.100.1"),
        ("10.0.0.5", "198.51.100.1:5123, 10.1.2.3", "198.51.100.1"),
        ("192.0.2.10", "2001:db8:1::42", "2001:db8:1::42"),
        ("2001:db8:ffff::1", "[2001:db8:1::42]:443", "2001:db8:1::42"),
        ("10.0.0.5", "::ffff:198.51.100.1", "198.51.100.1"),
        ("::ffff:10.0.0.5", "198.51.100.1", "198.51.100.1"),
    ],
    ids=[
        "one proxy",
        "spoofed entry",
        "chain",
        "spaces",
        "port",
        "ipv6",
        "bracketed ipv6",
        "mapped",
        "mapped peer",
    ],
)
def test_behind_trusted_proxies_the_nearest_untrusted_address_is_the_client(proxies, peer, forwarded, client):
    assert client_address(request_from(peer, forwarded)) == client


@pytest.mark.parametrize(
    "forwarded",
    ["not-an-address", "198.51.100.1, <script>", "198.51.100.1, 999.1.1.1", "198.51.100.1:http", "unknown"],
)
def test_garbage_where_the_client_should_be_means_the_peer(proxies, forwarded):
    assert client_address(request_from("10.0.0.5", forwarded)) == "10.0.0.5"


def test_a_request_from_a_trusted_proxy_without_the_header_is_the_proxys(proxies):
    assert client_address(request_from("10.0.0.5")) == "10.0.0.5"
    assert client_address(request_from("10.0.0.5", "")) == "10.0.0.5"


def test_when_every_hop_is_trusted_the_farthest_is_the_client(proxies):
    assert client_address(request_from("10.0.0.5", "10.7.7.7, 10.8.8.8")) == "10.7.7.7"


def test_the_fingerprint_follows_the_client_address_not_the_header(proxies):
    spoofer = [client_fingerprint(request_from("203.0.113.7", f"198.51.100.{n}")) for n in range(3)]
    assert len(set(spoofer)) == 1
    behind_proxy = {client_fingerprint(request_from("10.0.0.5", f"198.51.100.{n}")) for n in range(3)}
    assert len(behind_proxy) == 3


def test_ipv6_clients_are_counted_per_64_network(settings):
    settings.TRUSTED_PROXIES = []
    same_network = {client_fingerprint(request_from(f"2001:db8:1:2::{n}")) for n in ("1", "abcd", "ffff:1")}
    assert len(same_network) == 1
    assert client_fingerprint(request_from("2001:db8:1:3::1")) not in same_network


def test_a_misconfigured_trusted_proxy_names_the_setting(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "load-balancer.internal"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        client_address(request_from("10.0.0.5", "198.51.100.1"))
