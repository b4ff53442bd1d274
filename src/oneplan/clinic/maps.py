"""A pin on a map, only where the installation names a tile server (ONEPLAN_MAP_TILES).

OnePlan fetches nothing from the internet by itself: Leaflet is vendored, and the tiles come from the
server the installation configured, so the pages that show a map allow that one origin for images."""
from urllib.parse import urlsplit

from django.conf import settings

from oneplan.core.middleware import CSP

# Thailand as a whole, for a form with no position yet
THAILAND_CENTRE = (13.0, 101.0)


def tiles() -> dict | None:
    """The tile layer for templates, or None when no tile server is configured."""
    url = settings.ONEPLAN_MAP_TILES
    if not url or not url.startswith(("https://", "http://", "/")):
        return None
    return {"url": url, "attribution": settings.ONEPLAN_MAP_ATTRIBUTION}


def _tile_origins(url: str) -> str:
    """The origin(s) the browser loads tiles from; `{s}` subdomains become a wildcard."""
    parts = urlsplit(url)
    if not parts.netloc:
        return ""   # a path on this server: 'self' already allows it
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def allow_geolocation(response):
    """The report form may ask the phone for its position (the site-wide policy forbids it)."""
    response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
    return response


def allow_tiles(response):
    """A page that shows the map may load images from the configured tile server."""
    layer = tiles()
    origin = _tile_origins(layer["url"]) if layer else ""
    if origin:
        response["Content-Security-Policy"] = CSP.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")
    return response
