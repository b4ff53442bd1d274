"""Run every benchmark module (or those named on the command line) and print their tables."""
import importlib
import os
import pkgutil
import sys
import time

import django


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneplan.settings")
    django.setup()
    import benchmarks

    names = argv or sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"\n## {name}: {(module.__doc__ or '').strip().splitlines()[0] if module.__doc__ else ''}")
        started = time.perf_counter()
        module.run()
        print(f"({name} took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
