"""A view, from its name to its HTML: `render` checks the call against the registry (views.py),
asks the view's builder for the data (BUILDERS; the builders live by what they show in network_views,
money_views, governance_views and health_views) and hands it to `view-<name>.html.j2`."""

from __future__ import annotations

import functools
import inspect

from markupsafe import Markup

from ..base.suggestions import did_you_mean
from .governance_views import agreements_view, power_view
from .health_views import elephant_view, health_view, impact_ranking_view, impact_view
from .money_views import funding_view
from .network_views import (
    canvas_view,
    description_view,
    diagram_view,
    exchanges_view,
    matrix_view,
    partner_view,
    partners_view,
    projects_view,
    roles_view,
)
from .views import DIAGRAM_KINDS, VIEWS, ViewError, is_network, is_partner


def render(page, name: str, *, network: str | None = None, focus: str | None = None, **extra) -> Markup:
    check_view_call(page.renderer.network, name, dict(network=network, focus=focus, **extra))
    if name.startswith("impact") and page.renderer.withheld.impact_hidden:
        return Markup("")  # `impact: hidden` (editions.py): a prose block shows nothing in the public edition
    builder = BUILDERS[name]
    context = builder(page, network=network, focus=focus, **extra)
    return page.render_html(f"view-{name}.html.j2", **context)


BUILDERS = {
    "description": description_view,
    "partners": partners_view,
    "matrix": matrix_view,
    "roles": roles_view,
    "exchanges": exchanges_view,
    "agreements": agreements_view,
    "funding": funding_view,
    "power": power_view,
    "canvas": canvas_view,
    "partner": partner_view,
    "diagram": diagram_view,
    "health": health_view,
    "projects": projects_view,
    "impact": impact_view,
    "impact-ranking": impact_ranking_view,
    "elephant": elephant_view,
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

