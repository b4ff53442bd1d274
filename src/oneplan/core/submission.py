"""One request, one effect: a form that creates something carries a one-time token (a hidden field
with a random nonce, `OneTimeFormMixin`); the view takes the effect inside `submit_once(form)`, which
stores the token first. A second submission of the same page (a double click, a browser resending,
four tabs at once) finds the token taken and gets `AlreadySubmitted` (Thai message, the address of
what the first one created) instead of a second row.

    try:
        with transaction.atomic(), submit_once(form) as claim:
            plan = form.save()
            claim.done(plan.get_absolute_url())
    except AlreadySubmitted as exc:
        ...redirect(exc.url)

Inside the caller's transaction the token and the effect commit or roll back together. Effects that
manage their own transactions (consultation.services queues SQLite writers) run without an outer
one: pass `run=` to store the token with them, and a failed effect gives the token back.

A form sent without a token (a script, an old page) is taken as it is: the token protects people
from repeating themselves, it is not an access control (CSRF and rate limits are)."""
from __future__ import annotations

import re
import secrets
from contextlib import contextmanager

from django import forms
from django.db import IntegrityError, connection, transaction

from .models import SubmissionToken

TOKEN_FIELD = "form_token"
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")
ALREADY_SUBMITTED = "ส่งแบบฟอร์มนี้แล้ว"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OneTimeFormMixin:
    """Adds the hidden one-time token to a Form or ModelForm (a fresh nonce each time the empty form is
    shown; a form shown again with errors keeps the token it was sent with)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, initial=new_token)

    def clean_form_token(self):
        token = self.cleaned_data.get(TOKEN_FIELD) or ""
        if token and not TOKEN_FORMAT.fullmatch(token):
            # shown with the form's own errors: a hidden field has no place to show one
            self.add_error(None, "แบบฟอร์มไม่สมบูรณ์ กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง")
        return token


class AlreadySubmitted(Exception):
    def __init__(self, url: str = ""):
        self.url = url
        super().__init__(ALREADY_SUBMITTED)


class Claim:
    def __init__(self, token: str | None, run):
        self.token, self.run, self.url = token, run, ""

    def done(self, url: str) -> None:
        """Where a repeated submission should be sent (the thing this one created)."""
        self.url = url


def _atomic(fn):
    with transaction.atomic():
        return fn()


@contextmanager
def submit_once(form, run=_atomic):
    """Store the form's token (raises AlreadySubmitted if it is taken), then run the with-block.
    `run(fn)` runs fn in a transaction (default: transaction.atomic)."""
    token = form.cleaned_data.get(TOKEN_FIELD) or None
    claim = Claim(token, run)
    if token is None:
        yield claim
        return
    _take(token, run)
    own_transaction = not connection.in_atomic_block
    try:
        yield claim
    except BaseException:
        if own_transaction:  # the effect failed on its own: the person may send the same page again
            run(lambda: SubmissionToken.objects.filter(token=token).delete())
        raise
    if claim.url:
        run(lambda: SubmissionToken.objects.filter(token=token).update(target_url=claim.url[:500]))


def _take(token: str, run) -> None:
    def insert():
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction stays usable
                SubmissionToken.objects.create(token=token)
        except IntegrityError:
            return SubmissionToken.objects.filter(token=token).values_list("target_url", flat=True).first() or ""
        return None

    taken_by = run(insert)
    if taken_by is not None:
        raise AlreadySubmitted(taken_by)

