"""The plugin's options in `mkdocs.yml` (spec section 2)."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c

from .handbook import DEFAULT_CACHE_DIR


class PartnerbookConfig(base.Config):
    data_dir = c.Type(str, default="network")
    """The folder of YAML data files, relative to mkdocs.yml."""

    templates_dir = c.Type(str, default="templates")
    """Templates here replace the packaged ones with the same file name."""

    as_of = c.Optional(c.Type((str, int, dt.date)))
    """The date the site describes; overrides `network.as_of`; default today."""

    prefix = c.Type(str, default="")
    """URL folder of the generated pages ("" = site root)."""

    scorecard_elements = c.Optional(c.ListOfItems(c.Type(str)))
    """Replaces the default partnering-agreement scorecard elements."""

    downloads = c.Type(bool, default=True)
    """Offer the data as JSON, GraphML, GEXF and CSV files, linked from the network page."""

    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    """Rendered diagrams are kept here (relative to mkdocs.yml) between builds; "" for none."""

    checks = c.Type(dict, default={})
    """Level per check id (`ignore`, `warn` or `error`), like MkDocs' `validation:` settings."""

    sfdp_threshold = c.Type(int, default=150)
    """Diagrams with more nodes than this are laid out by `sfdp` instead of `dot`."""

    overview_threshold = c.Type(int, default=50)
    """Above this many partners the network page draws groups, not partners (0: always partners)."""

    funding_window_months = c.Type(int, default=12)
    """The funding window: income and spending without a year are the months up to `as_of`."""

    workshop_sheets = c.Type(bool, default=True)
    """Generate the printable workshop sheets under `workshop/` (one per partner, agreement, decision)."""

    language = c.Optional(c.Type(str))
    """The language of the generated pages ('fr', 'pt-BR'); default the theme's `language`, else English."""

    workshop_partner_limit = c.Type(int, default=500)
    """Above this many partners, only inner-network partners get a Value Network sheet of their own."""

    compare_to = c.Optional(c.Type(str))
    """A git revision (`HEAD~10`, a tag, `main@{2026-01-01}`): generates `changes/`, what changed since then."""

    concurrency = c.Optional(c.Type(int))
    """Processes partnerbook may use at once in `mkdocs build`: default 2 where there are two cores; 1 for one."""
