"""Who sent a reply: the client's address (X-Forwarded-For believed only from TRUSTED_PROXIES), and a
salted fingerprint of it that the rate limit counts by."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac


def client_address(request):
    """The address of the client that sent `request`: the peer, or, when the peer is a trusted
    proxy, the nearest address in X-Forwarded-For that is not one (garbage there: the peer)."""
    peer = _ip_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(peer):
        return str(peer)
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    address = peer
    for entry in reversed(forwarded):
        address = _ip_address(entry)
        if address is None:
            return str(peer)
        if not _is_trusted(address):
            break
    return str(address)  # every hop trusted: the farthest one is the client


def client_fingerprint(request):
    """A salted hash of the client's address: enough to rate-limit, useless to identify anyone."""
    address = client_address(request)
    ip = _ip_address(address)
    if ip is not None and ip.version == 6:
        # One household or phone is given a whole /64: count it as one client.
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return salted_hmac("fibrosite.reply-client", address, algorithm="sha256").hexdigest()


def _ip_address(text):
    """The IP address in `text` (also "[v6]:port" and "v4:port"), or None when it is not one."""
    text = text.strip()
    host, _, port = text.rpartition(":")
    if text.startswith("[") and "]" in text:
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1 and port.isdigit():
        text = host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address):
    return any(address in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@lru_cache(maxsize=4)
def _trusted_networks(entries):
    try:
        return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries]
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks such as 10.0.0.0/8: {error}"
        ) from error
