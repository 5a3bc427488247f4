"""A handbook whose every free-text field carries HTML, script, SVG, DOT, Markdown and template payloads.

Each payload that could become an element carries the class `pbpwn`, and each
script sets `window.pbpwned`, so a test can tell at once whether any of them got
into the DOM or ran.
"""

from __future__ import annotations

HTML = '<b class="pbpwn">bold</b><img class="pbpwn" src="x" onerror="window.pbpwned=1;alert(1)">'
SCRIPT = "<script>window.pbpwned=2;alert(2)</script>"
SVG = '<svg class="pbpwn" onload="window.pbpwned=3;alert(3)"><script>alert(4)</script></svg>'
DOT = '"]; evil [URL="javascript:alert(5)" label="pwn"]; x [label="\\N'
TEMPLATE = "{{ 7*7 }}{% if true %}jinja{% endif %}${7*7}"
MARKDOWN = "[click](javascript:alert(6)) <!-- x -->"

NAME = f"Evil {HTML} Org"
PARTNER_TWO = f"Other {SVG} {TEMPLATE}"
SUMMARY = f"Summary {SCRIPT} {MARKDOWN}"
DELIVERABLE = f"Data {DOT} {HTML}"
TAG = f"tag{SCRIPT}"
TITLE = f"Deal {SVG} {TEMPLATE}"
PURPOSE = f"Purpose {HTML} {DOT}"
DECISION = f"Choice {SCRIPT} {TEMPLATE}"
NETWORK_NAME = f"Hostile {TEMPLATE} network"

LITERALS = {
    "partner name": NAME, "second partner": PARTNER_TWO, "summary": SUMMARY, "deliverable": DELIVERABLE,
    "tag": TAG, "agreement title": TITLE, "funding purpose": PURPOSE, "decision name": DECISION,
}


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


DATA = f"""\
network:
  name: {q(NETWORK_NAME)}
  focal: home
  as_of: 2026-01-01
  description: {q(SUMMARY)}
partners:
  - id: home
    name: {q("Home " + TEMPLATE)}
    summary: {q(SUMMARY)}
  - id: evil
    name: {q(NAME)}
    network: ivn
    ivn_criteria: [develops]
    roles: [key-activities]
    tags: [{q(TAG)}, plain]
    provides: [{q(DELIVERABLE)}]
    summary: {q(SUMMARY)}
    description: {q(SUMMARY + " " + SVG)}
  - id: other
    name: {q(PARTNER_TWO)}
    kind: funder
    network: ovn
    ovn_type: funder
    summary: {q(SUMMARY)}
relationships:
  - {{from: evil, to: home, deliverable: {q(DELIVERABLE)}, nature: tangible, kind: {q(TEMPLATE)}}}
  - {{from: home, to: evil, deliverable: {q(PURPOSE)}, nature: intangible, description: {q(SUMMARY)}}}
  - {{from: other, to: home, deliverable: {q(DELIVERABLE)}, nature: tangible}}
agreements:
  - id: deal
    title: {q(TITLE)}
    parties: [home, evil]
    status: signed
    notes: {q(SUMMARY)}
    scorecard: {{who.partners: full}}
funding:
  - {{from: other, to: home, amount: 1000, currency: EUR, purpose: {q(PURPOSE)}, core: true}}
decisions:
  - id: choice
    name: {q(DECISION)}
    description: {q(SUMMARY)}
    process: {q(PURPOSE)}
    participation:
      home: decides
      evil: {{actual: informed, desired: co-decides}}
"""
