"""50 concurrent posters on the public comment form for about a minute, against the live server on
loopback: no comment lost, none stored twice, no errors, no 429 for legitimate distinct posters.

Bounded: ONEPLAN_LOAD_SECONDS (default 60) and ONEPLAN_LOAD_MAX_POSTS (default 3000), whichever comes
first. Each poster is a separate browser (own cookies) that reloads the form, posts, and after the
per-browser allowance starts as a new browser; the per-address limit is raised because every poster
shares 127.0.0.1. The table is printed (run with -s) and written to benchmarks/out/."""
import os
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

THREADS = 50
SECONDS = float(os.environ.get("ONEPLAN_LOAD_SECONDS", "60"))
MAX_POSTS = int(os.environ.get("ONEPLAN_LOAD_MAX_POSTS", "3000"))
PER_BROWSER = 5  # the default per-visitor allowance per minute


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 after posting is the success we count


class Poster:
    def __init__(self, base, round_pk, element_pk, marker, stats):
        self.base, self.round_pk, self.element_pk, self.marker, self.stats = base, round_pk, element_pk, marker, stats

    def new_browser(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.opener.open(f"{self.base}/consultation/rounds/{self.round_pk}/comment/", timeout=60).read()
        self.csrf = next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, n):
        text = f"{self.marker} ความคิดเห็นที่ {n} จาก {threading.current_thread().name} 🚲 <b>bold</b>"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, "text": text, "sector": "citizen",
                                       "kind": "comment", "element": self.element_pk}).encode()
        started = time.perf_counter()
        try:
            self.opener.open(f"{self.base}/consultation/rounds/{self.round_pk}/comment/", body, timeout=60).read()
            code = 200
        except urllib.error.HTTPError as exc:
            code = exc.code
        except Exception:  # noqa: BLE001 - connection failures are counted as errors
            code = 0
        self.stats.record(code, time.perf_counter() - started, text)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.codes, self.latencies, self.stored_ok = [], [], []
        self.reserved = 0

    def record(self, code, seconds, text):
        with self.lock:
            self.codes.append(code)
            self.latencies.append(seconds)
            if code == 302:
                self.stored_ok.append(text)

    def reserve(self) -> bool:
        """Claim one of the MAX_POSTS posts (the cap holds exactly, whatever the thread timing)."""
        with self.lock:
            if self.reserved >= MAX_POSTS:
                return False
            self.reserved += 1
            return True


def run_poster(poster, deadline):
    n = 0
    while time.monotonic() < deadline and poster.stats.reserve():
        if n % PER_BROWSER == 0:
            try:
                poster.new_browser()
            except Exception:  # noqa: BLE001
                poster.stats.record(0, 0.0, "")
                continue
        n += 1
        poster.post(n)


@pytest.mark.load
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_posters_lose_and_double_nothing(live_server, settings):
    from oneplan.consultation.models import Comment, ConsultationRound
    from oneplan.testing.factories import ElementFactory, PlanFactory

    settings.CONSULTATION_RATE_LIMITS = {"comment": {"address": (1_000_000, 60)}}
    plan = PlanFactory(status="consultation")
    element = ElementFactory(plan=plan, kind="issue", code="1")
    round_ = ConsultationRound.objects.create(plan=plan, title="load", opens_on=date.today() - timedelta(days=1),
                                              status="open", responsible="ทดสอบ")
    marker = f"LOAD-{uuid.uuid4().hex[:8]}"
    stats = Stats()
    deadline = time.monotonic() + SECONDS
    threads = [threading.Thread(target=run_poster, name=f"p{i:02d}", daemon=True,
                                args=(Poster(live_server.url, round_.pk, element.pk, marker, stats), deadline))
               for i in range(THREADS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 120)
    elapsed = time.perf_counter() - started

    stored = list(Comment.objects.filter(round=round_, text__startswith=marker).values_list("text", flat=True))
    ok, limited = stats.codes.count(302), stats.codes.count(429)
    errors = len(stats.codes) - ok - limited
    report(stats, ok, limited, errors, len(stored), elapsed)
    assert not any(t.is_alive() for t in threads)
    assert len(stats.codes) >= THREADS
    assert len(stored) == len(set(stored)), "a comment was stored twice"
    assert sorted(stored) == sorted(stats.stored_ok), "a confirmed comment was lost (or an unconfirmed one stored)"
    assert errors == 0 and limited == 0
    sample = Comment.objects.filter(round=round_).first()
    assert re.search(r"🚲 <b>bold</b>$", sample.text)  # stored as typed


def report(stats, ok, limited, errors, stored, elapsed):
    from benchmarks.table import print_table

    lat = sorted(stats.latencies) or [0.0]
    p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
    headers = ["posters", "seconds", "posts", "stored", "successes", "429", "errors", "req/s", "p50 ms", "p95 ms"]
    row = [THREADS, f"{elapsed:.1f}", len(stats.codes), stored, ok, limited, errors,
           f"{len(stats.codes) / elapsed:.1f}", f"{statistics.median(lat) * 1000:.0f}", f"{p95 * 1000:.0f}"]
    print()
    print_table(headers, [row])
    out = Path(__file__).resolve().parents[2] / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    line = " | ".join(str(c) for c in row)
    (out / "consultation_load.md").write_text(f"| {' | '.join(headers)} |\n| {line} |\n", encoding="utf-8")
