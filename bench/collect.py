"""Assemble docs/benchmarks.md from the fragments each benchmark script writes under docs/bench/.

    python bench/collect.py
"""

from __future__ import annotations

from pathlib import Path

ORDER = ["extract", "ingest", "synth", "reuse", "provenance", "quotes", "claims", "web"]
HEADER = """# Benchmarks

Every figure here is printed by a script under `bench/` (each writes its fragment in
`docs/bench/`; `python bench/collect.py` assembles this page). Unless a section says otherwise
the machine is the project's reference: 2 cores, 24 GB, no GPU. Targets that are missed are
written down as missed, with the reason where we know it.
"""


def main() -> None:
    root = Path(__file__).resolve().parents[1] / "docs"
    parts = {p.stem: p for p in (root / "bench").glob("*.md")}
    names = [n for n in ORDER if n in parts] + sorted(n for n in parts if n not in ORDER)
    body = [HEADER]
    for n in names:
        text = parts[n].read_text(encoding="utf-8").strip()
        # Fragments refer to images beside them; this page lives one folder up.
        text = text.replace("](reuse-", "](bench/reuse-").replace("](./", "](bench/")
        body.append(text)
    (root / "benchmarks.md").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    print(f"wrote {root / 'benchmarks.md'} from {len(names)} fragments: {', '.join(names)}")


if __name__ == "__main__":
    main()
