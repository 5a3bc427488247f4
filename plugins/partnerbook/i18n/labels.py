"""Display labels of the enum values in schema.py ('co-decides', 'ovn', 'in-kind'), in the reader's language.

The data keeps the English value an author writes; a page that shows such a value as a
label shows `label(kind, value)`. In English the label is the value itself, as pages have
always shown it. Each label has a context (`pgettext`), because one English word is two
enums ('funder' the partner kind and the outer-network type, 'grant' the agreement type
and the funding instrument) that another language may write differently. A value the
tables do not know (an exchange kind of the author's own) is shown as written.
"""

from __future__ import annotations

from .language import active, pgettext


def _tables() -> dict[str, dict[str, str]]:
    """The labels in the active language (called at use time, never at import time)."""
    return {
        "kind": {
            "individual": pgettext("partner kind", "individual"),
            "group": pgettext("partner kind", "group"),
            "organisation": pgettext("partner kind", "organisation"),
            "business": pgettext("partner kind", "business"),
            "government": pgettext("partner kind", "government"),
            "civil-society": pgettext("partner kind", "civil-society"),
            "academic": pgettext("partner kind", "academic"),
            "community": pgettext("partner kind", "community"),
            "funder": pgettext("partner kind", "funder"),
            "multilateral": pgettext("partner kind", "multilateral"),
        },
        "network": {
            "focal": pgettext("network", "focal organisation"),
            "ivn": pgettext("network", "Inner value network"),
            "ovn": pgettext("network", "Outer value network"),
        },
        "network_heading": {  # headings of the partner list
            "focal": pgettext("network heading", "Focal organisation"),
            "ivn": pgettext("network heading", "Inner value network (IVN)"),
            "ovn": pgettext("network heading", "Outer value network (OVN)"),
        },
        "ivn_criterion": {
            "develops": pgettext("IVN criterion", "develops"),
            "agreement": pgettext("IVN criterion", "agreement"),
            "function": pgettext("IVN criterion", "function"),
            "joint-planning": pgettext("IVN criterion", "joint-planning"),
        },
        "ovn_type": {
            "complementor": pgettext("OVN type", "complementor"),
            "funder": pgettext("OVN type", "funder"),
            "regulator": pgettext("OVN type", "regulator"),
            "competitor": pgettext("OVN type", "competitor"),
            "supplier": pgettext("OVN type", "supplier"),
            "channel": pgettext("OVN type", "channel"),
            "customer": pgettext("OVN type", "customer"),
            "community": pgettext("OVN type", "community"),
            "other": pgettext("OVN type", "other"),
        },
        "strategy": {
            "supplier-upgrade": pgettext("strategy", "supplier-upgrade"),
            "co-innovation": pgettext("strategy", "co-innovation"),
            "component-platform": pgettext("strategy", "component-platform"),
            "partnership-platform": pgettext("strategy", "partnership-platform"),
        },
        "nature": {
            "tangible": pgettext("nature of an exchange", "tangible"),
            "intangible": pgettext("nature of an exchange", "intangible"),
        },
        "agreement_type": {
            "letter-of-intent": pgettext("agreement type", "letter-of-intent"),
            "mou": pgettext("agreement type", "mou"),
            "contract": pgettext("agreement type", "contract"),
            "partnership-agreement": pgettext("agreement type", "partnership-agreement"),
            "grant": pgettext("agreement type", "grant"),
            "subgrant": pgettext("agreement type", "subgrant"),
            "license": pgettext("agreement type", "license"),
            "charter": pgettext("agreement type", "charter"),
            "other": pgettext("agreement type", "other"),
        },
        "status": {
            "draft": pgettext("agreement status", "draft"),
            "negotiating": pgettext("agreement status", "negotiating"),
            "signed": pgettext("agreement status", "signed"),
            "expired": pgettext("agreement status", "expired"),
            "terminated": pgettext("agreement status", "terminated"),
            "unknown": pgettext("agreement status", "unknown"),
        },
        "rating": {
            "full": pgettext("scorecard rating", "full"),
            "partial": pgettext("scorecard rating", "partial"),
            "missing": pgettext("scorecard rating", "missing"),
            "unknown": pgettext("scorecard rating", "unknown"),
            "n/a": pgettext("scorecard rating", "n/a"),
        },
        "period": {
            "month": pgettext("funding period", "month"),
            "quarter": pgettext("funding period", "quarter"),
            "year": pgettext("funding period", "year"),
        },
        "plan_status": {
            "active": pgettext("funding plan status", "active"),
            "inactive": pgettext("funding plan status", "inactive"),
        },
        "instrument": {
            "grant": pgettext("funding instrument", "grant"),
            "subgrant": pgettext("funding instrument", "subgrant"),
            "contract": pgettext("funding instrument", "contract"),
            "donation": pgettext("funding instrument", "donation"),
            "membership": pgettext("funding instrument", "membership"),
            "revenue": pgettext("funding instrument", "revenue"),
            "investment": pgettext("funding instrument", "investment"),
            "in-kind": pgettext("funding instrument", "in-kind"),
        },
        "level": {
            "excluded": pgettext("participation level", "excluded"),
            "informed": pgettext("participation level", "informed"),
            "consulted": pgettext("participation level", "consulted"),
            "co-decides": pgettext("participation level", "co-decides"),
            "decides": pgettext("participation level", "decides"),
        },
        "structure": {
            "hub-and-spoke": pgettext("network structure", "hub-and-spoke"),
            "horizontal": pgettext("network structure", "horizontal"),
            "distributed": pgettext("network structure", "distributed"),
        },
        "finding_level": {
            "risk": pgettext("finding level", "risk"),
            "attention": pgettext("finding level", "attention"),
            "info": pgettext("finding level", "info"),
            "ok": pgettext("finding level", "ok"),
            "n/a": pgettext("finding level", "not applicable"),
        },
    }


_cache: list = [None, {}]  # [the language the tables are in, the tables]


def label(kind: str, value: str | None) -> str:
    """The display label of `value` of the enum `kind` ('level', 'kind', 'ovn_type', …); '' for None."""
    if value is None:
        return ""
    if _cache[0] is not active():  # a new build may have activated another language
        _cache[:] = [active(), _tables()]
    return _cache[1].get(kind, {}).get(value, value)


def label_filter(value: str | None, kind: str) -> str:
    """`{{ partner.kind|label('kind') }}` in templates."""
    return label(kind, value)
