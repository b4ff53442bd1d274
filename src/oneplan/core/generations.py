"""Values kept in the shared cache under a generation token.

A value depends on data that changes rarely (organisations and areas for a Clinic Center route; the
editions in force for a national framework's totals). Each value is stored with the token current when
it was computed; a change drops the token, so every value stored under it is stale at once, in every
process, with one cache delete — however many values there are. The token is dropped twice: at once
(this transaction and the database cache see it) and after commit (a reader that computed from the
data before the commit, under a token it drew meanwhile, must not keep that value)."""
import secrets

from django.core.cache import cache
from django.db import transaction


def _token_key(name: str) -> str:
    return f"generation:{name}"


def cached(name: str, key: str, compute, timeout: int):
    """The value under `key` if it was computed in the current generation of `name`, else compute() —
    one cache round trip on a hit."""
    token_key = _token_key(name)
    got = cache.get_many([token_key, key])
    token, held = got.get(token_key), got.get(key)
    if token is not None and held is not None and held[0] == token:
        return held[1]
    if token is None:
        token = secrets.token_hex(8)
        cache.set(token_key, token, None)
    value = compute()
    cache.set(key, (token, value), timeout)
    return value


def forget(name: str) -> None:
    """Every value of generation `name` is stale from now on."""
    cache.delete(_token_key(name))


def changed(name: str) -> None:
    """Call where the data changes (a signal receiver): now, and again once the transaction commits."""
    forget(name)
    transaction.on_commit(lambda: forget(name))
