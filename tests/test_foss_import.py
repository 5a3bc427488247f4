"""`partnerbook import maintainers|opencollective|github-sponsors|funding-json|publiccode`: FOSS communities'
own files into data files, and the elephant factor they let a handbook show.

Real data in tests/data/foss/ (README.md there names the sources): the CNCF's project-maintainers.csv
(whole, and a slice of four projects) and FLOSS/fund's example funding.json. The other files are
written here from the documented layouts; every figure asserted is worked out by hand in a comment,
or, for the whole CNCF file, by reading the CSV here with the csv module.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import Handbook, mkdocs_yml

DATA = Path(__file__).parent / "data" / "foss"
CNCF = DATA / "cncf-project-maintainers.csv"
SLICE = DATA / "cncf-slice.csv"
FUNDING_JSON = DATA / "floss-fund-funding.example.json"
COLLECTIVE = DATA / "opencollective-transactions.csv"


def _book(path: Path, options: str = "as_of: 2024-12-31") -> Handbook:
    book = Handbook(path)
    book.write("mkdocs.yml", mkdocs_yml(plugin_options=options + "\nworkshop_sheets: false"))
    book.write("content/index.md", "# Home\n")
    return book


def _import(book: Handbook, *args: str):
    return book.run("partnerbook", "import", *args)


def _yaml(book: Handbook, name: str, folder: str = "network"):
    return yaml.safe_load((book.path / folder / name).read_text(encoding="utf-8"))


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


# -- maintainers -----------------------------------------------------------------------------

WRITTEN = """\
 project , Maintainer , Organisation, github
Lantern,Ana Silva,Red Hat,ana
,Ben Okoro,RedHat,ben
,Chen Wei,"Red Hat, Inc.",chen
,Dana Ruiz,Independent,dana
,Eli Cohen,,eli
,Ana Silva,Red Hat,ana
,Farah Khan,Freelancer,farah
Beacon,Gus Berg,Acme Cloud GmbH,gus
,Hana Sato,acme cloud,hana
,Ivo Petrov,Red Hat,ivo
"""


def test_maintainers_file_from_the_documented_layout(tmp_path):
    book = _book(tmp_path / "book")
    (tmp_path / "maintainers.csv").write_text(WRITTEN, encoding="utf-8")
    result = _import(book, "maintainers", str(tmp_path / "maintainers.csv"), "--focal", "Example Foundation")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Lantern: Ana (listed twice: once), Ben, Chen at Red Hat in three spellings; Dana independent, Farah
    # freelancer (independent), Eli no employer. Beacon: Gus and Hana at Acme Cloud, Ivo at Red Hat.
    assert "read 9 maintainers in 2 projects: 6 with an organisation, 2 independent, 1 with no employer given" in out
    assert "1 a maintainer listed twice in one project (counted once)" in out
    assert "3 spellings of one organisation (kept as aliases)" in out  # RedHat, Red Hat Inc., acme cloud
    partners = {p["id"]: p for p in _yaml(book, "partners.yml")["partners"]}
    assert set(partners) == {"red-hat", "acme-cloud", "example-foundation"}
    assert partners["red-hat"]["name"] == "Red Hat" and set(partners["red-hat"]["aliases"]) == {"RedHat", "Red Hat, Inc."}
    assert not any(re.search(r"(?i)independent|freelancer", p["name"]) for p in partners.values())
    projects = {p["id"]: p for p in _yaml(book, "projects.yml")["projects"]}
    assert projects["lantern"]["maintainers"] == {"red-hat": 3}
    assert projects["lantern"]["independent_maintainers"] == 2 and projects["lantern"]["unknown_maintainers"] == 1
    assert projects["beacon"]["maintainers"] == {"acme-cloud": 2, "red-hat": 1}
    assert _yaml(book, "network.yml")["network"]["focal"] == "example-foundation"
    header = (book.path / "network" / "projects.yml").read_text().splitlines()[0]
    assert header.startswith("# Written by `partnerbook import maintainers`") and "from maintainers.csv" in header

    build = book.build()
    assert build.returncode == 1 and "elephant-factor" in build.stderr  # warns by default: strict fails
    assert "Elephant factor: 2 wholes where one organisation holds half or more" in build.stderr  # both projects
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="as_of: 2024-12-31\nworkshop_sheets: false\n"
                                                       "checks: {elephant-factor: ignore}"))
    assert book.build().returncode == 0
    page = book.page("projects/")
    rows = {_text(tr.find("td")): [_text(td) for td in tr.find_all("td")]
            for tr in page.select(".pb-elephant tbody tr")}
    # Lantern: 6 maintainers, Red Hat 3 = half → factor 1. Beacon: 3, Acme Cloud 2 ≥ 1.5 → factor 1.
    assert rows["Lantern"] == ["Lantern", "6", "1", "2", "1", "1", "Red Hat (50%)"]
    assert rows["Beacon"] == ["Beacon", "3", "2", "0", "0", "1", "Acme Cloud GmbH (67%)"]
    assert "chaoss.community" in page.select_one(".pb-elephant a[href*=chaoss]")["href"]
    lantern = _text(page.select_one("#project-lantern .pb-elephant-project"))
    assert "Elephant factor 1 of 6 maintainers, 2 independent, 1 whose employer is unknown (counted as one each)" in lantern
    alone = _text(book.page("partners/red-hat/").select_one(".pb-elephant-alone"))
    assert "Red Hat alone employs half or more of the maintainers of 1 project (elephant factor 1 there): Lantern (50%)" in alone


def test_maintainers_file_without_a_project_column_is_refused_and_nothing_written(tmp_path):
    book = _book(tmp_path / "book")
    (tmp_path / "m.csv").write_text("Name,Company\nAna,Red Hat\n", encoding="utf-8")
    result = _import(book, "maintainers", str(tmp_path / "m.csv"), "--focal", "X")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "m.csv:1: no column for project" in result.stderr
    assert not (book.path / "network").exists()


def _cncf_blocks(path: Path) -> list[tuple[str, dict[str, str]]]:
    """The test's own reading of the CNCF layout: a project cell starts a block, a blank one continues it;
    each block maps a maintainer (GitHub name, else name, lower case) to the Company cell."""
    blocks: list[tuple[str, dict[str, str]]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        if not row:
            continue
        project, name, company, github = row[1].strip(), row[2].strip(), " ".join(row[3].split()), row[4].strip()
        if project and (not blocks or project.lower() != blocks[-1][0].lower()):
            blocks.append((project, {}))
        blocks[-1][1].setdefault((github or name).lower(), company)
    return blocks


def _hand_factor(people: dict[str, str], same_company) -> int:
    """Fewest holders reaching half of the maintainers: each company by its count, every maintainer
    without a company (Independent, blank, '-') as one."""
    counts: Counter = Counter()
    singles = 0
    for company in people.values():
        if not company.strip(" -_") or re.match(r"(?i)independent|individual|unaffiliated", company):
            singles += 1
        else:
            counts[same_company(company)] += 1
    sizes = sorted(list(counts.values()) + [1] * singles, reverse=True)
    total, covered = sum(sizes), 0
    for n, size in enumerate(sizes, 1):
        covered += size
        if covered * 2 >= total:
            return n
    return len(sizes)


def test_cncf_slice_elephant_factors_on_the_projects_page(tmp_path):
    book = _book(tmp_path / "book", "as_of: 2024-12-31\nchecks: {elephant-factor: ignore}")
    result = _import(book, "maintainers", str(SLICE), "--focal", "CNCF")
    assert result.returncode == 0, result.stderr
    assert book.build().returncode == 0
    page = book.page("projects/")
    factors = {_text(tr.find("td")): _text(tr.select_one(".pb-elephant-factor")) for tr in page.select(".pb-elephant tbody tr")}
    # By hand from cncf-slice.csv:
    # Harbor: 12 maintainers; VMware 5 (Jiang, Ren, Wang, Yin, Zou), 8gears 2, five others 1 each: 5 < 6, 5+2 ≥ 6 → 2.
    # Falco: 22 maintainers, Sysdig 16 ≥ 11 → 1 (Sysdig alone).
    # Flux: 14; 6 Independent (one each), ControlPlane 4, Associmates, SUSE, Replicated, Microsoft 1 each:
    #       4 + 1 + 1 + 1 = 7 ≥ 7 → 4.
    assert factors["Harbor"] == "2" and factors["Falco"] == "1" and factors["Flux"] == "4"
    falco = _text(page.select_one("#project-falco"))
    assert "Elephant factor 1 of 22 maintainers" in falco and "16 (73%)" in falco
    flux = _text(page.select_one("#project-flux .pb-elephant-project"))
    assert "Elephant factor 4 of 14 maintainers, 6 independent" in flux
    sysdig = _text(book.page("partners/sysdig/").select_one(".pb-elephant-alone"))
    assert "Falco (73%)" in sysdig


def test_whole_cncf_file_one_partner_per_organisation_and_factors_checked_by_hand(tmp_path):
    from partnerbook.analysis import elephant
    from partnerbook.data.load import load_network

    book = _book(tmp_path / "book")
    result = _import(book, "maintainers", str(CNCF), "--focal", "CNCF")
    assert result.returncode == 0, result.stderr
    partners = _yaml(book, "partners.yml")["partners"]
    names = {p["name"] for p in partners}
    assert not names & {"Independent", "Individual", "Unaffiliated", "Individual Developer", "-", ""}
    by_name = {name: p for p in partners for name in (p["name"], *p.get("aliases", ()))}
    # Spellings the file mixes, each one partner: Red Hat / RedHat, Chainguard / Chainguard, Inc,
    # NVIDIA / Nvidia, DigitalOcean / Digital Ocean, Kubermatic / Kubermatic GmbH.
    for first, second in (("Red Hat", "RedHat"), ("Chainguard", "Chainguard, Inc"), ("NVIDIA", "Nvidia"),
                          ("DigitalOcean", "Digital Ocean"), ("Kubermatic", "Kubermatic GmbH")):
        assert by_name[first]["id"] == by_name[second]["id"], (first, second)

    def same_company(name: str) -> str:  # the test's own rule: letters and digits, lower case, no legal form
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        return re.sub(r"(inc|gmbh|llc|ltd)$", "", key) or key

    blocks = _cncf_blocks(CNCF)
    companies = {same_company(c) for _p, people in blocks for c in people.values()
                 if c.strip(" -_") and not re.match(r"(?i)independent|individual|unaffiliated", c)}
    assert len(partners) == len(companies | {"cncf"})  # the focal CNCF is also the employer of some maintainers

    network = load_network(book.path / "network").network
    factors = elephant.projects(network)
    by_title = {p.title: factors[p.id].factor for p in network.projects if p.id in factors}
    hand = {project: _hand_factor(people, same_company) for project, people in blocks
            if sum(1 for q, _ in blocks if q == project) == 1}
    checked = ["Kubernetes maintainers", "Prometheus", "Envoy", "Argo", "Harbor", "Falco", "Flux", "Cilium"]
    assert sum(1 for name in checked if name in hand) >= 5
    for name in checked:
        if name in hand:
            assert by_title[name] == hand[name], name
    assert by_title["Falco"] == 1 and by_title["Harbor"] == 2 and by_title["Flux"] == 4  # by hand, above
    mismatched = [name for name, value in hand.items() if by_title.get(name) != value]
    assert mismatched == []


# -- Open Collective ---------------------------------------------------------------------------

def test_open_collective_income_spending_refunds_fees_and_individuals(tmp_path):
    book = _book(tmp_path / "book", "as_of: 2024-12-31\nchecks: {elephant-factor: ignore}")
    result = _import(book, "opencollective", str(COLLECTIVE))
    assert result.returncode == 0, result.stderr
    assert "1 refunds netted against the payment they refund" in result.stdout
    assert "1 transactions of other kinds (not income or spending) (e.g. PLATFORM_TIP)" in result.stdout
    assert "1 rows of other accounts than the collective" in result.stdout
    names = {p["name"] for p in _yaml(book, "partners.yml")["partners"]}
    assert "Individual contributors" in names and "Individual payees" in names
    assert not names & {"Alice Doe", "Bob Smith", "Guest"}  # people aggregated, never named
    assert book.build().returncode == 0
    page = book.page("funding/")
    income = {tr["data-currency"]: [_text(td) for td in tr.find_all("td")]
              for tr in page.select(".pb-funding-totals table")[0].select("tbody tr")}
    # USD income in the window (2024): Acme 1,000 + Alice 50 + guest 20 (individuals 70) + Beta 400 − 400
    # refunded + 300 + Gamma 500 (added funds) = 1,870; the 2023 5,000 of Acme is outside the window.
    # Largest contributor: Acme 1,000 / 1,870 = 53.5 %.
    assert income["USD"][1] == "1,870 USD" and income["USD"][3] == "Acme Corp" and income["USD"][4] == "53%"
    assert income["EUR"][1] == "100 EUR"
    spending = {tr["data-currency"]: [_text(td) for td in tr.find_all("td")]
                for tr in page.select(".pb-funding-totals table")[1].select("tbody tr")}
    # USD spending: Stripe fee 30 + host fee 100 + Bob 200 (individual payees) + Hosting Co 150 = 480.
    assert spending["USD"][1] == "480 USD"
    elephant_row = page.select_one(".pb-elephant tr[data-currency=USD]")
    assert _text(elephant_row) == "USD 1 Acme Corp (53%)"  # 1,000 ≥ 1,870 / 2
    text = _text(page)
    assert "The elephant factor is the fewest organisations" in text
    fees = _yaml(book, "funding.yml")["funding"]
    assert {(f["to"], f["amount"], f.get("purpose")) for f in fees if f["from"] == "example-collective"} == {
        ("stripe", 30, "payment processor fee"), ("open-source-collective", 100, "host fee"),
        ("individual-payees", 200, None), ("hosting", 150, "Servers")}
    assert not any(f["from"] == "beta" and f["amount"] == 400 for f in fees)  # refunded whole: gone


def test_open_collective_bad_amount_is_refused_whole(tmp_path):
    book = _book(tmp_path / "book")
    bad = COLLECTIVE.read_text().replace("-150.00,0.00", "lots,0.00")
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    result = _import(book, "opencollective", str(tmp_path / "bad.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "bad.csv:13: a transaction needs a date, an amount and a currency" in result.stderr
    assert "nothing written" in result.stderr and not (book.path / "network").exists()


# -- GitHub Sponsors -------------------------------------------------------------------------------

SPONSORS = """\
Sponsor Handle,Sponsor Profile Name,Sponsor Public Email,Sponsorship Started On,Is Public?,Is Yearly?,Transaction ID,Tier Name,Tier Monthly Amount,Processed Amount,Is Prorated?,Status,Transaction Date,Metadata,Country,Region,VAT
octo-org,Octo Org,,2024-01-01,true,false,ch_1,Gold,$100.00,$100.00,false,settled,2024-03-01 10:00:00 UTC,,US,,
jdoe,Jane Doe,,2024-01-01,true,false,ch_2,Supporter,$5.00,$5.00,false,settled,2024-03-01 11:00:00 UTC,,FR,,
secret,Secret Person,,2024-01-01,false,false,ch_3,Supporter,$10.00,$10.00,false,settled,2024-03-02 09:00:00 UTC,,DE,,
jdoe,Jane Doe,,2024-01-01,true,false,ch_4,Supporter,$5.00,$5.00,false,refunded,2024-04-01 11:00:00 UTC,,FR,,
"""


def test_github_sponsors_settled_payments_private_sponsors_never_named(tmp_path):
    book = _book(tmp_path / "book")
    (tmp_path / "sponsors.csv").write_text(SPONSORS, encoding="utf-8")
    result = _import(book, "github-sponsors", str(tmp_path / "sponsors.csv"), "--focal", "Lantern")
    assert result.returncode == 0, result.stderr
    assert "1 payments not settled" in result.stdout
    names = {p["name"] for p in _yaml(book, "partners.yml")["partners"]}
    assert names == {"Lantern", "Private sponsors", "Individual sponsors"}  # no export column says who is an org
    flows = {(f["from"], f["date"]): f["amount"] for f in _yaml(book, "funding.yml")["funding"]}
    # Settled: 100 + 5 public on 2024-03-01 (summed as individual sponsors), 10 private on 2024-03-02.
    assert flows == {("individual-sponsors", "2024-03-01"): 105, ("private-sponsors", "2024-03-02"): 10}
    kept = _import(book, "github-sponsors", str(tmp_path / "sponsors.csv"), "--focal", "Lantern", "--keep-people")
    assert kept.returncode == 0, kept.stderr
    names = {p["name"] for p in _yaml(book, "partners.yml")["partners"]}
    assert names == {"Lantern", "Private sponsors", "Octo Org", "Jane Doe"}  # the private one still not named


# -- funding.json ---------------------------------------------------------------------------------

def test_funding_json_example_plans_and_reported_years_never_payments(tmp_path):
    book = _book(tmp_path / "book")
    result = _import(book, "funding-json", str(FUNDING_JSON))
    assert result.returncode == 0, result.stderr
    network = _yaml(book, "network.yml")["network"]
    assert network["focal"] == "the-one-demo"
    # The example's history: 2020–2023 in USD; plans: 250 and 1,000 a month, and a goodwill plan of any amount.
    assert [(r["year"], r["income"], r["expenses"], r["taxes"]) for r in network["reported"]] == [
        (2020, 10000, 2000, 200), (2021, 15000, 5000, 500), (2022, 30000, 10000, 2000), (2023, 25000, 15000, 1500)]
    assert [(p["name"], p["amount"], p.get("per")) for p in network["plans"]] == [
        ("Hosting support", 250, "month"), ("Developer compensation", 1000, "month"), ("Goodwill plan", 0, None)]
    assert {p["title"] for p in _yaml(book, "projects.yml")["projects"]} == {"Zombo App (demo)", "VB Gooey IP tracer (demo)"}
    assert not (book.path / "network" / "funding.yml").exists()  # nothing here is money moved
    assert book.build().returncode == 0
    page = book.page("funding/")
    plans = [[_text(td) for td in tr.find_all("td")] for tr in page.select(".pb-plans tbody tr")]
    assert plans[0][:2] == ["Hosting support", "250 USD each month"] and plans[2][1] == "any amount (USD) once"
    assert "requests, not money received or committed" in _text(page.select_one(".pb-plans caption"))
    reported = page.select_one(".pb-reported tr[data-year='2022']")
    assert [_text(td) for td in reported.find_all("td")][:7] == ["2022", "USD", "30,000 USD", "–", "10,000 USD", "–",
                                                                "2,000 USD"]
    assert not page.select(".pb-funding-totals tr[data-currency]")  # no income: reported years are not payments


# -- publiccode.yml -------------------------------------------------------------------------------

PUBLICCODE = """\
publiccodeYmlVersion: "0.4"
name: Medusa
url: "https://example.org/medusa.git"
organisation:
  uri: "https://example.org"
  name: City of Example
fundedBy:
  - name: Ministry of Digital Affairs
    uri: "https://ministry.example"
maintenance:
  type: contract
  contractors:
    - name: Old Vendor Srl
      until: "2020-01-01"
    - name: New Vendor GmbH
      until: "2099-12-31"
      website: "https://vendor.example"
  contacts:
    - name: Francesca Rossi
      email: f.rossi@example.org
      affiliation: City of Example
    - name: Marco Bianchi
      affiliation: Example University
legal:
  license: AGPL-3.0-or-later
"""


def test_publiccode_funders_contractors_and_affiliations(tmp_path):
    book = _book(tmp_path / "book")
    (tmp_path / "publiccode.yml").write_text(PUBLICCODE, encoding="utf-8")
    result = _import(book, "publiccode", str(tmp_path / "publiccode.yml"))
    assert result.returncode == 0, result.stderr
    partners = {p["id"]: p for p in _yaml(book, "partners.yml")["partners"]}
    assert set(partners) == {"city-of-example", "ministry-of-digital-affairs", "old-vendor", "new-vendor",
                             "example-university"}
    assert partners["ministry-of-digital-affairs"]["ovn_type"] == "funder"
    agreements = {a["parties"][1]: a for a in _yaml(book, "agreements.yml")["agreements"]}
    assert agreements["old-vendor"]["status"] == "expired" and agreements["old-vendor"]["expires"] == "2020-01-01"
    assert agreements["new-vendor"]["status"] == "signed" and agreements["new-vendor"]["expires"] == "2099-12-31"
    project = _yaml(book, "projects.yml")["projects"][0]
    assert project["partners"] == {"city-of-example": "owner", "ministry-of-digital-affairs": "funding",
                                   "old-vendor": "maintenance contractor", "new-vendor": "maintenance contractor",
                                   "example-university": "maintenance"}
    assert "2 maintenance contacts counted, not named" in result.stdout
    assert book.check().returncode == 0


# -- adding to a handbook, and the importers' contract ------------------------------------------------

def test_sources_added_to_one_handbook_with_with(tmp_path):
    book = _book(tmp_path / "book", "as_of: 2024-12-31\nchecks: {elephant-factor: ignore}")
    (tmp_path / "maintainers.csv").write_text(WRITTEN, encoding="utf-8")
    assert _import(book, "maintainers", str(tmp_path / "maintainers.csv"), "--focal", "Example Collective").returncode == 0
    added = _import(book, "opencollective", str(COLLECTIVE), "--with", "network", "-o", "network/collective")
    assert added.returncode == 0, added.stderr
    assert "focal: 'example-collective', the handbook's, stands for the collective example-collective" in added.stdout
    assert not (book.path / "network" / "collective" / "network.yml").exists()
    assert book.build().returncode == 0
    assert "1,870 USD" in _text(book.page("funding/").select_one(".pb-funding-totals"))


def test_import_never_replaces_a_file_it_did_not_write(tmp_path):
    book = _book(tmp_path / "book")
    mine = book.write("network/partners.yml", "partners: []\n")
    result = _import(book, "funding-json", str(FUNDING_JSON))
    assert result.returncode == 1 and "was not written by `partnerbook import`" in result.stderr
    assert mine.read_text() == "partners: []\n" and not (book.path / "network" / "network.yml").exists()
    assert _import(book, "funding-json", str(FUNDING_JSON), "--force").returncode == 0


@pytest.mark.parametrize("text, message", [
    ("{", "x.json:1: not JSON"),
    ('{"version": "v1.1.0"}', "not a funding.json manifest: no `entity` object"),
])
def test_bad_funding_json_is_refused_without_traceback(tmp_path, text, message):
    book = _book(tmp_path / "book")
    (tmp_path / "x.json").write_text(text, encoding="utf-8")
    result = _import(book, "funding-json", str(tmp_path / "x.json"))
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


# -- the FOSS example handbook -------------------------------------------------------------------

def test_foss_example_handbook_builds_strict_and_shows_the_elephant_factor(tmp_path):
    from conftest import ROOT

    book = Handbook(tmp_path)
    made = book.run("partnerbook", "new", "--example", "foss", "lantern")
    assert made.returncode == 0, made.stderr
    book = Handbook(tmp_path / "lantern")
    sources = book.path / "sources"
    assert {p.name for p in sources.iterdir()} == {"funding.json", "maintainers.csv", "opencollective.csv"}
    example_guide = (book.path / "content" / "guide" / "foss-communities.md").read_text()
    assert example_guide == (ROOT / "content" / "guide" / "foss-communities.md").read_text()
    built = book.build()
    assert built.returncode == 0, built.stderr
    projects = {_text(tr.find("td")): _text(tr.select_one(".pb-elephant-factor"))
                for tr in book.page("projects/").select(".pb-elephant tbody tr")}
    # By hand from sources/maintainers.csv. Lantern: Red Hat 2, Acme Cloud 2 (two spellings), one
    # independent, one blank (unknown) → 6; 2 + 2 ≥ 3 → 2. Beacon: Acme Cloud 2, Northwind Labs 2, Red Hat 1,
    # a freelancer → 6; 2 + 2 → 2. Signal: five maintainers, one each → 1 + 1 + 1 ≥ 2.5 → 3.
    assert projects == {"Lantern": "2", "Beacon": "2", "Signal": "3"}
    # Income from sources/opencollective.csv in the window (Jul 2024 – Jun 2025): Acme Cloud 15,000, Northwind
    # Labs 12,000, Red Hat 9,000, Jane Doe 25 + 25, a guest's 100 refunded → 36,050; 15,000 < 18,025 → 2.
    income = book.page("funding/").select_one(".pb-elephant tr[data-currency=USD]")
    assert _text(income) == "USD 2 Acme Cloud (42%), Northwind Labs (33%)"
    # Seats (decides or co-decides) in network/governance.yml: Red Hat 2, Acme Cloud 2, Northwind Labs 1,
    # Lantern Foundation 2 → 7; 2 + 2 ≥ 3.5 → 2.
    seats = _text(book.page("power/").select_one(".pb-elephant-seats"))
    assert seats.startswith("Elephant factor of the decision seats: 2 (7 seats where a partner decides or co-decides)")
    health = book.page("health/").select_one("#finding-elephant-factor")
    assert "0 wholes where one organisation holds half or more" in _text(health)
    assert health.select_one("a[href='https://chaoss.community/kb/metric-elephant-factor/']")
    # The reported years beside the computed ones, and the plans as requests.
    funding = book.page("funding/")
    assert [_text(td) for td in funding.select_one(".pb-reported tr[data-year='2024']").find_all("td")][:3] == [
        "2024", "USD", "52,000 USD"]
    assert [_text(td) for td in funding.select(".pb-plans tbody tr")[1].find_all("td")][:2] == [
        "Maintainer fund", "60,000 USD each year"]


def test_decision_seats_factor_one_warns_and_is_settable(handbook):
    handbook.write("network/decisions.yml", """\
        decisions:
          - id: roadmap
            name: Roadmap
            participation: {maker: decides, payer: informed}
          - id: budget
            name: Budget
            participation: {maker: co-decides, hub: co-decides}
        """)
    # Seats: maker 2, hub 1 → 3; 2 ≥ 1.5 → elephant factor 1. No project records maintainers: as for every
    # other finding, unset means shown on health/ only (a handbook that built strict before still does).
    checked = handbook.check("--strict")
    assert checked.returncode == 0 and "[elephant-factor]" not in checked.stdout + checked.stderr
    warned = handbook.check("--check", "elephant-factor=warn")
    assert warned.returncode == 0 and "Elephant factor: 1 whole where one organisation holds half or more" in warned.stdout
    errored = handbook.check("--check", "elephant-factor=error")
    assert errored.returncode == 1
    assert handbook.build().returncode == 0
    health = _text(handbook.page("health/").select_one("#finding-elephant-factor"))
    assert "1 whole where one organisation holds half or more" in health and "Maker Co — 2 of 3 decision seats" in health
    assert _text(handbook.page("power/").select_one(".pb-elephant-seats")).startswith(
        "Elephant factor of the decision seats: 1 (3 seats")
