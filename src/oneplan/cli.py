"""The `oneplan` command: a thin CLI over Django management commands.

`oneplan serve` runs the development web server, `oneplan serve --production` gunicorn
(oneplan.core.production); `oneplan worker` the task worker; `oneplan load-reference`, `oneplan suggest-links` … map to
management commands with underscores (`load_reference`, `suggest_links`).
"""
import os
import sys

ALIASES = {"serve": "runserver"}


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneplan.settings")
    if len(argv) > 1 and argv[1] == "serve" and "--production" in argv:
        # before Django is set up: the checks must not make the embedded install's key file
        from oneplan.core.production import serve

        sys.exit(serve([a for a in argv[2:] if a != "--production"]))
    if len(argv) > 1 and not argv[1].startswith("-"):
        name = argv[1]
        argv[1] = ALIASES.get(name, name.replace("-", "_"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
