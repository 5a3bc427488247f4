"""Synthetic handbooks for the benchmark, deterministic by seed.

`write_handbook(folder, n)` writes a partnerbook handbook of N partners (about
3N value exchanges, N/5 agreements, N/3 funding flows, N/20 decisions), one
data file per partner as a large handbook would keep them. `write_floor(folder,
n)` writes what plain MkDocs is measured on: N hand-written pages of about the
same size, reached from one index page, with the same theme and plugins.

    python benchmarks/generate.py handbook|floor N FOLDER [--seed S] [--payments P]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

KINDS = ("business", "academic", "community", "civil-society", "government", "funder", "group")
OVN_TYPES = ("complementor", "funder", "regulator", "competitor", "supplier", "channel", "customer", "community")
CRITERIA = ("develops", "agreement", "function", "joint-planning")
ROLES = ("key-activities", "key-resources", "channels", "customer-segments", "value-propositions",
         "customer-relationships", "revenue-streams", "cost-structure")
STRATEGIES = ("supplier-upgrade", "co-innovation", "component-platform", "partnership-platform")
DELIVERABLES = (("Code contributions", "tangible", "code"), ("Field training", "tangible", "service"),
                ("Market insight", "intangible", "knowledge"), ("Introductions to buyers", "intangible", "access"),
                ("Hosting", "tangible", "service"), ("Peer review", "intangible", "knowledge"),
                ("Translations", "tangible", "content"), ("Credibility with regulators", "intangible", "trust"))
WORDS = ("cooperative", "seed", "data", "advisory", "platform", "regional", "training", "market", "open",
         "weather", "credit", "soil", "dairy", "maize", "extension", "mobile", "logistics", "research")
LEVELS = ("informed", "consulted", "co-decides")

MKDOCS_YML = """\
site_name: Benchmark handbook
docs_dir: content
theme:
  name: material
plugins:
  - search
{plugin}
nav:
{nav}
"""
SECTIONS = ("partners", "roles", "network", "agreements", "funding", "power", "canvas", "health")


def pid(i: int) -> str:
    return f"p{i:04d}"


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def write_handbook(folder: Path, n: int, seed: int = 1, payments: int = 0) -> dict[str, int]:
    """Returns the counts written. `payments` adds that many dated payments (network/payments.yml)."""
    rng = random.Random(seed)
    data = folder / "network"
    (data / "partners").mkdir(parents=True, exist_ok=True)
    (folder / "content").mkdir(parents=True, exist_ok=True)
    nav = "\n".join(["  - Home: index.md"] + [f"  - {s.capitalize()}: {s}/index.md" for s in SECTIONS])
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.format(plugin="  - partnerbook", nav=nav))
    (folder / "content" / "index.md").write_text(
        "# Benchmark handbook\n\nWhere the network stands:\n\n```partnerbook\nview: health\n```\n")
    (data / "network.yml").write_text(
        "network:\n  name: Benchmark network\n  focal: p0000\n  structure: hub-and-spoke\n  as_of: 2026-06-01\n")

    inner = {i for i in range(1, n) if rng.random() < 0.3}
    exchanges = 0
    for i in range(n):
        lines = ["partners:", f"  - id: {pid(i)}", f"    name: {_phrase(rng, 2).title()} {i}"]
        lines.append(f"    kind: {'civil-society' if i == 0 else rng.choice(KINDS)}")
        if i in inner:
            lines += ["    network: ivn", f"    ivn_criteria: [{', '.join(rng.sample(CRITERIA, rng.randint(1, 3)))}]",
                      f"    strategy: {rng.choice(STRATEGIES)}"]
        elif i:
            lines += ["    network: ovn", f"    ovn_type: {rng.choice(OVN_TYPES)}"]
        lines.append(f"    roles: [{', '.join(rng.sample(ROLES, rng.randint(1, 3)))}]")
        lines.append(f"    tags: [{_phrase(rng, 1)}, {_phrase(rng, 1)}-network]")
        lines.append(f"    summary: Works on {_phrase(rng, 4)} with smallholder groups.")
        lines.append(f"    since: {rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}")
        if i and rng.random() < 0.05:
            lines.append("    until: 2026-03")
        lines.append("relationships:")
        # Each partner delivers to the focal organisation, receives from it, and
        # delivers to one other partner: about 3N exchanges, hub-and-spoke with cross links.
        targets = [0, rng.randrange(1, n)] if i else []
        for target in targets:
            if target != i:
                name, nature, kind = rng.choice(DELIVERABLES)
                lines.append(f"  - {{from: {pid(i)}, to: {pid(target)}, deliverable: {name}, "
                             f"nature: {nature}, kind: {kind}}}")
                exchanges += 1
        if i:
            name, nature, kind = rng.choice(DELIVERABLES)
            lines.append(f"  - {{from: {pid(0)}, to: {pid(i)}, deliverable: {name}, nature: {nature}, kind: {kind}}}")
            exchanges += 1
        (data / "partners" / f"{pid(i)}.yml").write_text("\n".join(lines) + "\n")

    partners = list(range(1, n))
    agreements = ["agreements:"]
    agreement_ids = []
    for a in range(n // 5):
        parties = [0, *rng.sample(partners, 2 if rng.random() < 0.2 else 1)]
        status = rng.choice(("signed", "signed", "signed", "draft", "negotiating", "expired"))
        expires = f"{rng.randint(2026, 2029)}-{rng.randint(1, 12):02d}"
        if status == "signed" and expires < "2026-07":
            expires = "2027-01"
        card = ", ".join(f"{e}: {rng.choice(('full', 'partial', 'missing'))}"
                         for e in ("who.partners", "why.vision", "what.activities", "how.governance", "when.exit"))
        agreements.append(f"  - {{id: a{a:04d}, title: Agreement {a} on {_phrase(rng, 2)}, type: contract, "
                          f"parties: [{', '.join(pid(p) for p in parties)}], status: {status}, signed: 2024-01, "
                          f"expires: {expires}, scorecard: {{{card}}}}}")
        agreement_ids.append(f"a{a:04d}")
    (data / "agreements.yml").write_text("\n".join(agreements) + "\n")

    funding = ["funding:"]
    for f in range(n // 3):
        other = rng.choice(partners)
        source, target = (other, 0) if f % 2 == 0 else (0, other)
        funding.append(f"  - {{from: {pid(source)}, to: {pid(target)}, amount: {rng.randint(1, 500) * 1000}, "
                       f"currency: {rng.choice(('USD', 'EUR', 'EUR'))}, instrument: grant, "
                       f"core: {str(f % 5 == 0).lower()}, "
                       f"since: 2025-01, purpose: {_phrase(rng, 3)}}}")
    (data / "funding.yml").write_text("\n".join(funding) + "\n")

    decisions = ["decisions:"]
    for d in range(max(1, n // 20)):
        members = rng.sample(partners, min(len(partners), rng.randint(3, 8)))
        levels = ", ".join(f"{pid(m)}: {{actual: {rng.choice(LEVELS)}, desired: {rng.choice(LEVELS)}}}"
                           for m in members)
        decisions.append(f"  - {{id: d{d:04d}, name: Decision {d} on {_phrase(rng, 2)}, "
                         f"participation: {{{pid(0)}: decides, {levels}}}}}")
    (data / "decisions.yml").write_text("\n".join(decisions) + "\n")
    if payments:
        write_payments(data / "payments.yml", n, payments, seed)
    return {"partners": n, "exchanges": exchanges, "agreements": n // 5, "funding": n // 3,
            "decisions": max(1, n // 20), "payments": payments}


CURRENCIES = ("USD", "EUR", "EUR", "GBP", "GBP", "CHF", "SEK", "NOK", "CAD", "XOF")


def write_payments(path: Path, n: int, count: int, seed: int = 1) -> None:
    """`count` dated payments shaped like published funding data (IATI transactions): a few funders
    paying the focal organisation in many instalments, the focal organisation paying many partners,
    some money between other partners; 2019 … 2027 (a few are still to come), 8 currencies, amounts
    from 1 to a million. Its own random stream, so the rest of the handbook stays the same."""
    rng = random.Random(seed + 7919)
    funders = [rng.randrange(1, n) for _ in range(max(1, n // 40))]
    lines = ["funding:"]
    for k in range(count):
        roll = rng.random()
        if roll < 0.4:
            source, target, instrument = rng.choice(funders), 0, "grant"
        elif roll < 0.85:
            source, target, instrument = 0, rng.randrange(1, n), rng.choice(("subgrant", "contract"))
        else:
            source, target, instrument = rng.choice(funders), rng.randrange(1, n), "grant"
        if source == target:
            target = 0 if source else 1
        day = 17897 + rng.randrange(3100)  # days since 1970: 2019-01-01 … 2027-06
        year, rest = divmod(day - 17897, 365)
        month, date = min(12, rest // 30 + 1), min(28, rest % 30 + 1)
        amount = round(10 ** rng.uniform(0, 6), 2)
        lines.append(f"  - {{from: {pid(source)}, to: {pid(target)}, amount: {amount}, "
                     f"currency: {rng.choice(CURRENCIES)}, instrument: {instrument}, "
                     f"date: {2019 + year}-{month:02d}-{date:02d}, purpose: payment {k}}}")
    path.write_text("\n".join(lines) + "\n")


def write_floor(folder: Path, n: int, seed: int = 1) -> None:
    """N plain Markdown pages shaped like partner pages (facts, tables, links), one index linking them."""
    rng = random.Random(seed)
    content = folder / "content"
    (content / "p").mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(
        MKDOCS_YML.format(plugin="", nav="  - Home: index.md") + "not_in_nav: |\n  /p/*.md\n")
    index = ["# Floor", "", "| Page | Summary |", "|---|---|"]
    for i in range(n):
        name = f"{_phrase(rng, 2).title()} {i}"
        index.append(f"| [{name}](p/{pid(i)}.md) | Works on {_phrase(rng, 4)} |")
        links = [pid(rng.randrange(n)) for _ in range(5)]
        rows = "\n".join(f"| {rng.choice(('delivers to', 'receives from'))} | [{target}]({target}.md) | "
                         f"{rng.choice(DELIVERABLES)[0]} | {rng.choice(('tangible', 'intangible'))} | service | |"
                         for target in links)
        # Shaped like a generated partner page: facts, relationships, agreements,
        # funding, decisions, history (the benchmark prints both pages' sizes).
        page = f"""# {name}

Works on {_phrase(rng, 4)} with smallholder groups.

| | |
|---|---|
| Network | outer value network (OVN): complementor |
| Kind | {rng.choice(KINDS)} |
| Roles | [{rng.choice(ROLES)}](../index.md) |
| In the network | 2021-04 – today |
| Tags | {_phrase(rng, 1)}, {_phrase(rng, 1)}-network |

## Relationships

| Direction | Counterpart | Deliverable | Nature | Kind | Period |
|---|---|---|---|---|---|
{rows}

## Agreements

| Agreement | Status | Signed | Expires | Scorecard |
|---|---|---|---|---|
| [Agreement on {_phrase(rng, 2)}](../index.md) | signed | 2024-01 | 2027-01 | 60% |

## Funding

| From | To | Amount | Purpose |
|---|---|---|---|
| [{links[0]}]({links[0]}.md) | {name} | 120,000 EUR | {_phrase(rng, 3)} |

## Decisions

| Decision | Actual | Desired |
|---|---|---|
| [Decision on {_phrase(rng, 2)}](../index.md) | consulted | co-decides |

## History

- 2021-04 joined the network
- 2023-06 started delivering {rng.choice(DELIVERABLES)[0]} to [{links[1]}]({links[1]}.md)
- 2024-01 signed Agreement on {_phrase(rng, 2)}
"""
        (content / "p" / f"{pid(i)}.md").write_text(page)
    (content / "index.md").write_text("\n".join(index) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("handbook", "floor"))
    parser.add_argument("n", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--payments", type=int, default=0, help="add this many dated payments (handbook only)")
    args = parser.parse_args()
    if args.what == "handbook":
        print(write_handbook(args.folder, args.n, args.seed, args.payments))
    else:
        write_floor(args.folder, args.n, args.seed)


if __name__ == "__main__":
    main()
