"""A large IATI activity file for timing `partnerbook import iati` (issue 15: 35 MB, 3,000 activities).

    python benchmarks/iati_generate.py OUT.xml [ACTIVITIES] [SOURCE.xml] [VARIANTS]

Copies the activities of a real file (default: the shared D-Portal sample) over and over, each
copy with its own iati-identifier, and with the organisations other than its reporter renamed
and re-identified by copy (about 700 variants), so the import meets thousands of organisations
to merge, many projects and tens of thousands of transactions. Amounts vary a little per copy.
The organisations stop growing past VARIANTS activities (copy n is activity n mod 7, variant
n mod VARIANTS); with VARIANTS = ACTIVITIES = 1,070 the import has about 2,300 partners, the size
of the real publisher data the README's figures were measured on (benchmarks/routes.py uses it).
"""

from __future__ import annotations

import contextlib
import copy
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SHARED = Path("/work/shared/data/iati/foodsecurity-dportal.xml")
VARIANTS = 700


def generate(out: Path, activities: int, source: Path, variants: int = VARIANTS) -> None:
    tree = ET.parse(source)
    originals = list(tree.getroot())
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": "2026-11-30T00:00:00"})
    for n in range(activities):
        activity = copy.deepcopy(originals[n % len(originals)])
        variant = n % variants
        ident = activity.find("iati-identifier")
        ident.text = f"{ident.text}-B{n:05d}"
        reporter = activity.find("reporting-org").get("ref")
        for tag in ("participating-org", "provider-org", "receiver-org"):
            for org in activity.iter(tag):
                if org.get("ref") == reporter:
                    continue
                if org.get("ref"):
                    org.set("ref", f"{org.get('ref')}-V{variant}")
                for narrative in org.iter("narrative"):
                    narrative.text = f"{narrative.text} {variant}"
        for value in activity.iter("value"):
            with contextlib.suppress(TypeError, ValueError):
                value.text = f"{float(value.text) * (1 + (n % 13) / 100):.2f}"
        root.append(activity)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    generate(target, count, Path(sys.argv[3]) if len(sys.argv) > 3 else SHARED,
             int(sys.argv[4]) if len(sys.argv) > 4 else VARIANTS)
    print(f"{target}: {count} activities, {target.stat().st_size / 1e6:.1f} MB")
