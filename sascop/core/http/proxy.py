"""Behind the reverse proxy (deploy/nginx/): which forwarded headers to believe.

nginx puts the address it saw in `X-Forwarded-For` and the scheme in `X-Forwarded-Proto`
(deploy/nginx/proxy.conf). They are believed only on requests that come from one of
TRUSTED_PROXIES: the client's address becomes REMOTE_ADDR (the lock-out counters, login
history, sessions and activity log read it), and SECURE_PROXY_SSL_HEADER may trust the scheme.
From any other peer (a client that reaches gunicorn directly) both headers are removed, so it
can neither choose its address nor claim HTTPS.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(addresses: list[str]) -> list[Network]:
    """TRUSTED_PROXIES as networks: addresses (`10.0.0.5`) or networks (`10.0.0.0/24`)."""
    return [ipaddress.ip_network(address.strip(), strict=False) for address in addresses]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = networks(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = _address(meta.get("REMOTE_ADDR", ""))
        if peer is not None and any(peer in network for network in self.trusted):
            # The proxy replaces the header with one address; were there a chain, the last
            # entry is the one the proxy itself added, the only one it vouches for.
            client = _address(meta.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1])
            if client is not None:
                meta["REMOTE_ADDR"] = str(client)
        else:
            for header in FORWARDED:
                meta.pop(header, None)
        return self.get_response(request)
