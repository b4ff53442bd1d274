"""/healthz answers while the process is up; /readyz says whether the database, cache and task queue answer."""
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_and_readyz_answer_json(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "cache": "ok", "tasks": "ok"}


def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["database"] == "failed"


def test_readyz_is_503_when_the_task_queue_does_not_answer(client, monkeypatch, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert client.get("/readyz").json()["checks"]["tasks"] == "ok"

    def broken(*args, **kwargs):
        raise OSError("no such table")

    monkeypatch.setattr(type(DBTaskResult.objects.all()), "exists", broken)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["tasks"] == "failed"
