import sys
from pathlib import Path

# the load test prints its table with benchmarks.table (the repository root holds `benchmarks`)
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
