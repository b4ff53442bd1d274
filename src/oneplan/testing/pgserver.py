"""pytest plugin: with ONEPLAN_TEST_DB=postgres the suite starts its own throwaway PostgreSQL
server (the machine's binaries), points Django at it, and stops it at the end.

Registered with `-p oneplan.testing.pgserver` so it runs before pytest-django reads the settings.
As root (CI), the server runs as the `postgres` system user, since PostgreSQL refuses root.
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

_server = {}


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"PostgreSQL binary {name!r} not found; install the postgresql package")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> str:
    base = tempfile.mkdtemp(prefix="oneplan-pg-")
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(base, "data"), _free_port()
    subprocess.run([*as_user, _binary("initdb"), "-D", data, "-U", "oneplan", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8"], check=True, capture_output=True)
    options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=120")
    subprocess.run([*as_user, _binary("pg_ctl"), "-D", data, "-o", options, "-w", "-l",
                    os.path.join(base, "server.log"), "start"], check=True, capture_output=True)
    _server.update(base=base, data=data, as_user=as_user)
    return f"postgres://oneplan@127.0.0.1:{port}/postgres"


def stop_postgres():
    if not _server:
        return
    subprocess.run([*_server["as_user"], _binary("pg_ctl"), "-D", _server["data"], "-m", "immediate", "stop"],
                   capture_output=True)
    shutil.rmtree(_server["base"], ignore_errors=True)
    _server.clear()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # jobs run at once inside the test (its transaction); the production tests start real workers
    os.environ.setdefault("ONEPLAN_TASKS", "immediate")
    if os.environ.get("ONEPLAN_TEST_DB") == "postgres" and not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_postgres()
        os.environ["ONEPLAN_TEST_PG_STARTED"] = "1"


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


def pytest_unconfigure(config):
    if os.environ.pop("ONEPLAN_TEST_PG_STARTED", None):
        stop_postgres()
