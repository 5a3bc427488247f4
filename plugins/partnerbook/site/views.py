"""The view registry: every view a page can show, the filters it takes, which of them prose may
ask for, and the rules a request must keep. ```partnerbook blocks (blocks.py) and templates'
`view(...)` (components.py) both read it, each wording its own messages; the data behind each view
is built by its builder (components.py's BUILDERS, the builders in network_views, money_views,
governance_views and health_views), its HTML is `templates/view-<name>.html.j2`.

To add a view: a row in VIEWS; a builder in the *_views module of what it shows (network, money,
governance, health), named in components.py's BUILDERS; a template `view-<name>.html.j2`; and its
name in PROSE_VIEWS when a block may ask for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from ..data.schema import NETWORKS


@dataclass(frozen=True)
class View:
    name: str
    filters: tuple[str, ...]  # which of `network` and `focus` it understands
    needs_focus: bool = False  # it is about one partner: `focus` is required


_BOTH = ("network", "focus")
# In the order messages list them ("views are: …").
VIEWS: dict[str, View] = {view.name: view for view in (
    View("description", ()),
    View("partners", _BOTH),
    View("matrix", _BOTH),
    View("roles", ()),
    View("exchanges", _BOTH),
    View("agreements", _BOTH),
    View("funding", _BOTH),
    View("power", _BOTH),
    View("canvas", ("network",)),
    View("partner", ("focus",), needs_focus=True),
    View("diagram", _BOTH),
    View("health", ()),
    View("projects", _BOTH),
    View("impact", ("focus",), needs_focus=True),  # the partner whose leaving it describes
    View("impact-ranking", ("network",)),
    View("elephant", ()),  # templates only: `whole` says which (income, projects, decisions)
)}
# The views a ```partnerbook block may name, in the order its messages list them.
PROSE_VIEWS = ("diagram", "matrix", "partners", "agreements", "funding", "power", "canvas", "health", "impact")
BLOCK_KEYS = ("view", "network", "focus")
DIAGRAM_KINDS = ("network", "funding", "power", "agreements")


def is_network(value: object) -> bool:
    return value in NETWORKS


def is_partner(value: object, partner_ids: set[str] | dict) -> bool:
    return isinstance(value, str) and value in partner_ids


class ViewError(jinja2.TemplateRuntimeError):
    """A template asked for a view that does not exist, or gave it an option it does not take.

    A Jinja error, so the build reports it with the template's file and line."""

