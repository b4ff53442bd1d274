"""A real, file-based SQLite database for tests about concurrency (the suite's own database is in
memory and shared by one connection, which cannot show how SQLite's locks behave between
connections or processes).

`file_db_home(tmp_path)` returns a fresh ONEPLAN_HOME folder whose db.sqlite3 is migrated (copied
from one migrated once per test session); `file_db_env(home)` is the environment for a process
(`oneplan serve`, a script) working on it with the production settings (WAL, busy timeout,
IMMEDIATE transactions)."""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
_template: list[Path] = []


def file_db_env(home: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ONEPLAN_DEBUG")}
    env.update(ONEPLAN_HOME=str(home), ONEPLAN_SECRET_KEY="test-file-db", DJANGO_SETTINGS_MODULE="oneplan.settings",
               PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")])), **extra)
    return env


def run_oneplan(home: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "oneplan.cli", *args], env=file_db_env(home), cwd=home,
                          check=True, capture_output=True, text=True, **kwargs)


def file_db_home(tmp_path: Path) -> Path:
    if not _template:
        base = Path(tempfile.mkdtemp(prefix="oneplan-filedb-"))
        run_oneplan(base, "migrate", "--noinput", "-v", "0")
        _template.append(base / "db.sqlite3")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(_template[0], home / "db.sqlite3")
    return home


def run_script(home: Path, code: str, timeout: float = 600) -> str:
    """Run Python code with Django set up on the file database; returns its standard output."""
    prelude = "import django; django.setup()\n"
    return subprocess.run([sys.executable, "-c", prelude + code], env=file_db_env(home), cwd=home, check=True,
                          capture_output=True, text=True, timeout=timeout).stdout
