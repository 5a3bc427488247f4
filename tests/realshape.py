"""A handbook shaped like one imported from published data (IATI), deterministic by seed.

What published data looks like, as read in the real file /work/shared/data/iati/ and
issue 25: organisation names of 60 to 120 characters, agreement titles that carry
identifiers ("Commitment to United Nations Development Programme in
XM-DAC-41114-OUTPUT-00126999"), hundreds of organisations, money in several currencies
with cents on single payments, a network description that lists the source files, and no
decisions (published data records none). One name is a single token longer than any
column (a name written without spaces), the case where a break inside a word is right.

    python tests/realshape.py FOLDER [N]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

BODIES = ("Ministry of Agriculture, Livestock, Fisheries and Cooperatives", "Food and Agriculture Organization",
          "International Fund for Agricultural Development", "United Nations Development Programme",
          "Norwegian Agency for Development Cooperation", "Deutsche Gesellschaft für Internationale Zusammenarbeit",
          "Agence Française de Développement", "Swedish International Development Cooperation Agency",
          "Association des Producteurs Agricoles et Éleveurs", "Cooperativa Agropecuária dos Pequenos Produtores",
          "Centre for Agriculture and Bioscience International", "Smallholder Farmers Resilience Consortium")
PLACES = ("the United Republic of Tanzania", "the Federal Democratic Republic of Ethiopia", "Burkina Faso",
          "the Republic of Mozambique", "Sahel and West Africa", "the Eastern and Southern Africa Region",
          "Guinea-Bissau", "the Democratic Republic of the Congo", "Timor-Leste", "Bangladesh")
UNITS = ("Country Office", "Regional Programme Management Unit", "Secretariat", "Field Coordination Office",
         "Technical Assistance Facility", "Department of Planning and Monitoring")
LONG_TOKEN = "AGRICULTURALDEVELOPMENTANDFOODSECURITYRESILIENCEPROGRAMMECONSORTIUMSECRETARIAT"
KINDS = ("government", "multilateral", "civil-society", "funder", "academic", "business", "community")
OVN_TYPES = ("funder", "complementor", "supplier", "channel", "customer", "community", "regulator")
CURRENCIES = ("USD", "EUR", "GBP", "SEK", "NOK", "XOF")
PURPOSES = ("AGRICULTURAL DEVELOPMENT", "Food security programmes/food assistance", "Agricultural extension",
            "Counterpart contribution", "Internationally coordinated emergency response")


def pid(i: int) -> str:
    return f"org-{i:04d}"


def name(rng: random.Random, i: int) -> str:
    if i == 7:
        return LONG_TOKEN
    text = f"{rng.choice(BODIES)} in {rng.choice(PLACES)}"
    if rng.random() < 0.6:
        text = f"{text}, {rng.choice(UNITS)}"
    return f"{text} ({i})"[:120]


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_handbook(folder: Path, n: int = 320, seed: int = 25) -> dict[str, int]:
    rng = random.Random(seed)
    data, content = folder / "network", folder / "content"
    data.mkdir(parents=True, exist_ok=True)
    content.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(
        "site_name: HelpAge-shaped handbook\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - partnerbook:\n      workshop_sheets: false\n      downloads: false\n",
        encoding="utf-8")
    (content / "index.md").write_text(
        "# HelpAge International: partners from IATI\n\nThe value network at a glance:\n\n"
        "```partnerbook\nview: diagram\n```\n", encoding="utf-8")
    files = ", ".join(f"`activities-{k:02d}.xml`" for k in range(32))
    lines = ["network:", "  name: \"HelpAge International: partners from IATI\"", f"  focal: {pid(0)}",
             "  as_of: 2026-06-01",
             f"  description: {quote(f'Imported from IATI activity data ({files}) with `partnerbook import iati`.')}",
             "partners:",
             f"  - {{id: {pid(0)}, name: \"HelpAge International: Secretariat & Regional Offices\", "
             "kind: civil-society}"]
    for i in range(1, n):
        inner = i % 3 == 0
        lines.append(f"  - id: {pid(i)}")
        lines.append(f"    name: {quote(name(rng, i))}")
        lines.append(f"    kind: {rng.choice(KINDS)}")
        if inner:
            lines += ["    network: ivn", "    ivn_criteria: [agreement, function]",
                      "    roles: [key-activities, channels]"]
        else:
            lines += ["    network: ovn", f"    ovn_type: {rng.choice(OVN_TYPES)}", "    roles: [key-resources]"]
        lines.append(f"    identifiers: [\"iati:XM-DAC-{41000 + i}\"]")
        lines.append(f"    summary: {quote('Counterpart in ' + rng.choice(PLACES) + ' & elsewhere')}")
    lines.append("relationships:")
    for i in range(1, n):
        purpose = rng.choice(PURPOSES)
        lines.append(f"  - {{from: {pid(i)}, to: {pid(0)}, deliverable: {quote(purpose)}, nature: tangible, "
                     "kind: service}")
        if i % 4 == 0:
            lines.append(f"  - {{from: {pid(0)}, to: {pid(i)}, deliverable: \"Technical assistance and "
                         f"reporting\", nature: intangible, kind: knowledge}}")
    lines.append("agreements:")
    for a in range(3, n, 6):  # inner partners only: a grant to an outer one would be an IVN criterion
        ident = f"XM-DAC-41114-OUTPUT-{126000 + a:08d}"
        lines.append(f"  - {{id: agr-{a:04d}, title: {quote(f'Commitment to {name(rng, a)} in {ident}')}, "
                     f"type: grant, parties: [{pid(0)}, {pid(a)}], status: signed, signed: 2019-03, "
                     "expires: 2028-12}")
    lines.append("funding:")
    for f in range(1, n, 2):
        currency = CURRENCIES[f % len(CURRENCIES)]
        cents = rng.randint(0, 99) / 100
        amount = rng.randint(1000, 40_000_000) + cents
        source, target = (pid(f), pid(0)) if f % 4 == 1 else (pid(0), pid(f))
        lines.append(f"  - {{from: {source}, to: {target}, amount: {amount:.2f}, currency: {currency}, "
                     f"instrument: grant, date: {2020 + f % 6}-{1 + f % 12:02d}-15, "
                     f"purpose: {quote(rng.choice(PURPOSES))}}}")
    lines.append("projects:")
    for p in range(1, n, 10):
        lines.append(f"  - id: prj-{p:04d}")
        lines.append(f"    title: {quote(f'Older people in {rng.choice(PLACES)} (GB-CHC-288180-{p:05d})')}")
        lines.append(f"    partners: {{{pid(0)}: implementing, {pid(p)}: funding, {pid(p + 1)}: Counterpart}}")
        lines.append("    since: 2019")
    (data / "network.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"partners": n}


if __name__ == "__main__":
    write_handbook(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 320)
