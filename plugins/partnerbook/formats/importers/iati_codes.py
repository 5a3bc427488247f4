"""The IATI code lists the importer reads (IATI standard 2.03, iatistandard.org/en/iati-standard/203/codelists/)."""

from __future__ import annotations

# TransactionType: code → (name, direction from the reporting organisation's side, what it is).
# "out": the reporting organisation pays; "in": it receives. The IATI TransactionType code list
# (iatistandard.org/en/iati-standard/203/codelists/transactiontype/) defines 2, 3, 4, 5, 6, 7, 8
# and 12 as money or promises leaving the reporting organisation (a commitment, disbursement or
# expenditure *of* the reporting organisation; interest and loan repayments it makes; equity it
# buys), and 1, 11 and 13 as money or promises coming to it ("funds received from an external
# funding source", "a firm obligation … reported by a recipient").
TRANSACTION_TYPES = {
    "1": ("incoming funds", "in", "payment"),
    "2": ("outgoing commitment", "out", "commitment"),
    "3": ("disbursement", "out", "payment"),
    "4": ("expenditure", "out", "payment"),
    "5": ("interest payment", "out", None),
    "6": ("loan repayment", "out", None),
    "7": ("reimbursement", "out", None),
    "8": ("purchase of equity", "out", None),
    "9": ("sale of equity", "in", None),
    "10": ("credit guarantee", "out", None),
    "11": ("incoming commitment", "in", "commitment"),
    "12": ("outgoing pledge", "out", None),
    "13": ("incoming pledge", "in", None),
}
# IATI 1.x wrote the transaction type as letters; some 2.0x publishers still do.
TRANSACTION_LETTERS = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
                       "QP": "8", "QS": "9", "CG": "10"}

# OrganisationRole: code → role in a project.
ROLES = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}

# OrganisationType: code → (name, partnerbook kind).
ORGANISATION_TYPES = {
    "10": ("Government", "government"),
    "11": ("Local Government", "government"),
    "15": ("Other Public Sector", "government"),
    "21": ("International NGO", "civil-society"),
    "22": ("National NGO", "civil-society"),
    "23": ("Regional NGO", "civil-society"),
    "24": ("Partner Country based NGO", "civil-society"),
    "30": ("Public Private Partnership", "organisation"),
    "40": ("Multilateral", "multilateral"),
    "60": ("Foundation", "funder"),
    "70": ("Private Sector", "business"),
    "71": ("Private Sector in Provider Country", "business"),
    "72": ("Private Sector in Aid Recipient Country", "business"),
    "73": ("Private Sector in Third Country", "business"),
    "80": ("Academic, Training and Research", "academic"),
    "90": ("Other", "organisation"),
}

# `ref` values publishers write when they have no identifier.
NO_REF = {"", "n/a", "na", "none", "null", "nil", "-", "--", "0", "unknown", "not available", "not applicable",
          "tbc", "tbd", "xx", "xxx", "n.a.", "n.a", "none given", "not known"}


# The organisation identifier shape (IATI Organisation Identifiers guidance,
# iatistandard.org/en/guidance/preparing-organisation/organisation-account/
# how-to-create-your-iati-organisation-identifier/:
# "{RegistrationAgency}-{RegistrationNumber}", the agency a code such as GB-CHC, NL-KVK, XM-DAC).
# A ref of this shape is trusted to name one organisation whatever names come with it; any other
# ref (an old DAC number, an internal code) is trusted only while its names agree.
IDENTIFIER_SHAPE = r"^[A-Za-z]{2}-[A-Za-z0-9]+-\S+$"
MIN_REF = 3  # a ref shorter than this ('A', '12') identifies nothing


def junk_ref(ref: str) -> bool:
    """A ref that is no organisation identifier: a placeholder, no letter or digit, too short."""
    text = ref.strip()
    return (text.lower() in NO_REF or not any(ch.isalnum() for ch in text) or len(text) < MIN_REF)
