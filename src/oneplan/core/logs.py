"""Structured logs: one JSON object per line, each with the id of the request (or job) that wrote it.

The id comes from the `X-Request-ID` header the proxy or load balancer sets (so one id follows a request
through every tier), or is made here; it is sent back in the response and carried into the jobs the
request starts (oneplan.jobs), so a failed import can be traced back to the click that queued it.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

_request_id = contextvars.ContextVar("oneplan_request_id", default="-")
HEADER = "X-Request-ID"
# what we accept from outside: short, no spaces or control characters (it is written into every log line)
VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
request_log = logging.getLogger("oneplan.request")


def request_id() -> str:
    return _request_id.get()


def bind_request_id(value: str):
    """Set the id for the code that follows (a job run); returns the token to reset it with."""
    return _request_id.set(value or "-")


def reset_request_id(token) -> None:
    _request_id.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Takes or makes the request id, logs one line per request (method, path, status, time)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        rid = incoming if VALID.match(incoming) else new_request_id()
        request.request_id = rid
        token = _request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            request_log.info("request", extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1)})
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


# attributes every LogRecord has: what is not among them was passed in `extra=` and goes into the JSON
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
            "process": record.process,  # which gunicorn or task worker wrote it
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
