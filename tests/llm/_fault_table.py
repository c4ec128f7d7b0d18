"""What each faulty reply of the test server must become (shared by the fault tests)."""

from __future__ import annotations

from toolkit import errors

TIMEOUT = 2.0  # ATELIER_TIMEOUT for the fault tests: the deadline is twice that

#: (fault, streamed) -> the error class, or "incomplete" for a cut answer that keeps its text.
EXPECTED = {
    ("drip", False): errors.DeadlineExceededError,
    ("drip", True): "incomplete",
    ("slow429", False): errors.RateLimitError,
    ("slow429", True): errors.RateLimitError,
    ("slow500", False): errors.ServerError,
    ("slow500", True): errors.ServerError,
    ("badjson", False): errors.InvalidJSONError,
    ("badjson", True): errors.InvalidJSONError,
    ("nonutf8", False): errors.EncodingReplyError,
    ("nonutf8", True): errors.EncodingReplyError,
    ("html", False): errors.HTMLReplyError,
    ("html", True): errors.HTMLReplyError,
    ("empty", False): errors.EmptyReplyError,
    ("empty", True): errors.EmptyReplyError,
    ("nomessage", False): errors.EmptyReplyError,
    ("nomessage", True): errors.EmptyReplyError,
    ("nodata", False): errors.InvalidJSONError,
    ("nodata", True): errors.EmptyReplyError,
    ("huge", False): errors.ReplyTooLargeError,
    ("huge", True): errors.ReplyTooLargeError,
    ("reset", False): errors.EndpointUnreachableError,
    ("reset", True): errors.EndpointUnreachableError,
    ("streamerror", False): errors.BadReplyError,
    ("streamerror", True): errors.StreamError,
    ("hang", False): errors.EndpointTimeoutError,
    ("hang", True): errors.EndpointTimeoutError,
}

#: Words the French message must hold, per fault (the cause, named).
CAUSE = {
    "drip": "délai",
    "slow429": "trop de requêtes",
    "slow500": "erreur",
    "badjson": "json",
    "nonutf8": "utf-8",
    "html": "page web",
    "empty": "choices",
    "nomessage": "message",
    "nodata": "",
    "huge": "taille maximale",
    "reset": "connexion",
    "streamerror": "erreur",
    "hang": "délai",
}


def slow_server(server) -> dict:
    """Set the server's fault timings for TIMEOUT; returns the old values to restore."""
    old = {k: getattr(server, k) for k in ("drip_interval", "slow_seconds", "hang_seconds")}
    server.drip_interval = 0.5
    server.slow_seconds = 1.0
    server.hang_seconds = 10 * TIMEOUT
    return old
