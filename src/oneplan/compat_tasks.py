"""Django's Tasks API: `django.tasks` from Django 6, the django-tasks backport on Django 5.2.
Import `task` and the rest from here, so the move to Django 6 changes one file."""
try:
    from django.tasks import TaskResultStatus, default_task_backend, task, task_backends  # Django 6
except ImportError:
    from django_tasks import TaskResultStatus, default_task_backend, task, task_backends

__all__ = ["TaskResultStatus", "default_task_backend", "task", "task_backends"]
