"""Who pays whom in one IATI transaction: the rules of the IATI Standard, apart from the XML reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .iati_xml import Reader


def parties(reader: Reader, direction: str, party: str | None, provider: str | None, receiver: str | None,
            funders: list[str], implementers: list[str], where: str) -> tuple[str | None, str | None, str | None]:
    """(payer, payee, source of funds) of one transaction, by its type (see TRANSACTION_TYPES).

    IATI's transaction guidance: the provider or receiver that is the reporting organisation
    need not be declared ("Should a provider-org or receiver-org within a transaction be the
    same as the reporting-org it is not expected that they are declared", Activity standard,
    Overview: Organisations); receiver-org "if omitted, then the receiver organisation is the
    reporting organisation" (1.0x transaction/receiver-org). So the side of the reporting
    organisation is fixed by the type, whatever is written there: many publishers write the
    donor whose money they spend as provider-org on their own disbursements. That provider is
    kept as the payment's source of funds, never as its payer."""
    if party is None:  # a secondary reporter's transaction, as written
        if provider is None and receiver is None:
            return None, None, None
        if provider is None:
            reader.summary.add("noted", "providers not named: the payment comes from the unspecified funder", where)
        if receiver is None:
            reader.summary.add("noted", "receivers not named: the payment goes to the unspecified recipient",
                             where)
        return provider or reader.unspecified("in"), receiver or reader.unspecified("out"), None
    if direction == "out":
        source = provider if provider is not None and provider != party else None
        if source is not None:
            reader.summary.add("noted", "outgoing transactions naming another organisation as provider: the "
                                      "reporting organisation pays, the provider is kept as source of funds",
                             where)
        if receiver is None:
            if len(implementers) == 1:
                receiver = implementers[0]
                reader.summary.add("noted", "receivers taken from the activity's one implementing organisation",
                                 where)
            else:
                receiver = reader.unspecified("out")
                reader.summary.add("noted", "receivers not named: the payment goes to the unspecified recipient",
                                 where)
        return party, receiver, source
    if receiver is not None and receiver != party:
        reader.summary.add("noted", "incoming transactions naming another receiver: the reporting organisation "
                                  "is the receiver", where)
    if provider is None:
        if len(funders) == 1:
            provider = funders[0]
            reader.summary.add("noted", "providers taken from the activity's one funding organisation", where)
        else:
            provider = reader.unspecified("in")
            reader.summary.add("noted", "providers not named: the payment comes from the unspecified funder", where)
    return provider, party, None
