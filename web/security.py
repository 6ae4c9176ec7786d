"""Response headers that keep a browser from being turned against the reader.

The pages need no inline script or style and no other origin, so the Content-Security-Policy
allows only this site's own files: an article text that slipped past escaping still could
not run a script. ``nosniff`` stops a JSON or CSV answer from being read as HTML; framing is
refused (clickjacking); and links out to an outlet's site carry no referrer, so the words
an analyst searched for stay on this server.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
