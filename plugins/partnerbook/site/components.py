"""The data behind each view, handed to its HTML template (`view-<name>.html.j2`)."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections import Counter, defaultdict

import jinja2
from markupsafe import Markup

from ..analysis import elephant
from ..analysis.money import format_share, timing_text
from ..analysis.scorecard import RATING_SYMBOLS, scorecard_cells, scorecard_columns, scorecard_gaps
from ..base.suggestions import did_you_mean
from ..data.model import unknown_elements
from ..data.schema import IVN_CRITERIA, LEVELS, OVN_TYPES, RATINGS
from ..diagrams.figures import diagram_figure
from ..i18n.labels import label
from ..i18n.language import pgettext
from .money_chart import year_chart
from .paging import PARTNER_SECTIONS, SECTION_ROWS, impact_rows, section_src
from .templating import render_markdown
from .views import DIAGRAM_KINDS, VIEWS, is_network, is_partner


def render(page, name: str, *, network: str | None = None, focus: str | None = None, **extra) -> Markup:
    check_view_call(page.renderer.network, name, dict(network=network, focus=focus, **extra))
    if name.startswith("impact") and page.renderer.withheld.impact_hidden:
        return Markup("")  # `impact: hidden` (editions.py): a prose block shows nothing in the public edition
    builder = BUILDERS[name]
    context = builder(page, network=network, focus=focus, **extra)
    return page.render_html(f"view-{name}.html.j2", **context)


BUILDERS = {
    "description": _description_view,
    "partners": _partners_view,
    "matrix": _matrix_view,
    "roles": _roles_view,
    "exchanges": _exchanges_view,
    "agreements": _agreements_view,
    "funding": _funding_view,
    "power": _power_view,
    "canvas": _canvas_view,
    "partner": _partner_view,
    "diagram": _diagram_view,
    "health": _health_view,
    "projects": _projects_view,
    "impact": _impact_view,
    "impact-ranking": _impact_ranking_view,
    "elephant": _elephant_view,
}


@functools.cache
def view_options(name: str) -> tuple[str, ...]:
    """Every option `view(name, ...)` takes in a template: its filters, then the builder's own keywords."""
    own = [option for option, parameter in inspect.signature(BUILDERS[name]).parameters.items()
           if option not in ("page", "network", "focus") and parameter.kind is parameter.POSITIONAL_OR_KEYWORD]
    return (*VIEWS[name].filters, *own)


def check_view_call(model, name: str, options: dict) -> None:
    """Raises ViewError naming what is wrong with `view(name, **options)`; None options count as not given."""
    if not isinstance(name, str) or name not in VIEWS:
        raise ViewError(f"unknown view '{name}'{did_you_mean(str(name), list(VIEWS))}; "
                        f"views are: {', '.join(VIEWS)}")
    known = view_options(name)
    for option, value in options.items():
        if value is None:
            continue
        if option not in known:
            raise ViewError(f"the {name} view has no option '{option}'{did_you_mean(option, known)}; "
                            f"its options are: {', '.join(known) or 'none'}")
    given = {option: value for option, value in options.items() if value is not None}
    if "network" in given and not is_network(given["network"]):
        raise ViewError(f"view '{name}': network is '{given['network']}'; expected ivn or ovn")
    if "focus" in given and not is_partner(given["focus"], model.partner_by_id):
        focus = str(given["focus"])
        raise ViewError(f"view '{name}': unknown partner '{focus}' in focus"
                        f"{did_you_mean(focus, sorted(model.partner_by_id))}")
    if VIEWS[name].needs_focus and "focus" not in given:
        raise ViewError(f"the {name} view needs focus=<partner id>")
    if name == "diagram" and given.get("kind", "network") not in DIAGRAM_KINDS:
        kind = str(given["kind"])
        raise ViewError(f"the diagram view has no kind '{kind}'{did_you_mean(kind, DIAGRAM_KINDS)}; "
                        f"kinds are: {', '.join(DIAGRAM_KINDS)}")

