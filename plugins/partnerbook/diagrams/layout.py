"""Ring layout: where each node of a value-network diagram goes (pure geometry, no Graphviz).

The seeds speak of an inner and an outer value network, so the diagram draws
them as rings: one node at the centre (the focal organisation, or the partner
of an ego diagram), the inner ring around it, the outer ring around that.
Graphviz only routes the edges between the positions computed here
(`neato -n2`): twopi cannot pin a node to a chosen ring.

Sizes are estimates of Graphviz's own (11 pt Helvetica, the label already
wrapped): generous, so neighbours on a ring never touch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CHAR_WIDTH = 6.2  # points per character of 11 pt Helvetica, a little over its average
LINE_HEIGHT = 13.5
PAD_X, PAD_Y = 10.0, 6.0  # Graphviz's node margin (0.12 × 0.06 in) plus the outline
GAP = 10.0  # between neighbours on a ring
RING_GAP = 34.0  # between the outer edge of one ring's nodes and the next ring's


@dataclass(frozen=True)
class Box:
    """A node to place: its id and the label that sets its size."""

    id: str
    label: str

    @property
    def width(self) -> float:
        lines = self.label.split("\n") or [""]
        return max(len(line) for line in lines) * CHAR_WIDTH + 2 * PAD_X

    @property
    def height(self) -> float:
        return (self.label.count("\n") + 1) * LINE_HEIGHT + 2 * PAD_Y

    def extent(self, angle: float) -> float:
        """Half the room the box takes along a ring's tangent at `angle` (radians)."""
        return (abs(math.sin(angle)) * self.width + abs(math.cos(angle)) * self.height) / 2

    def depth(self, angle: float) -> float:
        """Half the room the box takes along the radius at `angle`."""
        return (abs(math.cos(angle)) * self.width + abs(math.sin(angle)) * self.height) / 2


@dataclass(frozen=True)
class RingLayout:
    positions: dict[str, tuple[float, float]]  # node id → centre, in points, y up (Graphviz)
    radii: tuple[float, ...]  # the radius of each ring drawn, inner first


def _ring_radius(boxes: list[Box], minimum: float) -> float:
    """The smallest radius ≥ `minimum` whose circumference holds the boxes side by side."""
    if not boxes:
        return minimum
    radius = minimum
    for _ in range(8):  # the room a box takes depends on its angle, hence on the radius: iterate
        angles = _angles(boxes, radius)
        needed = sum(2 * b.extent(a) + GAP for b, a in zip(boxes, angles, strict=False))
        radius = max(minimum, needed / (2 * math.pi))
    return radius


def _angles(boxes: list[Box], radius: float) -> list[float]:
    """Angles of boxes spread round the ring, each given room in proportion to its width,
    starting at the top (π/2) and going clockwise."""
    if len(boxes) == 1:
        return [math.pi / 2]
    shares = [b.width + GAP for b in boxes]
    total = sum(shares)
    angles, run = [], 0.0
    for share in shares:
        angles.append(math.pi / 2 - 2 * math.pi * (run + share / 2) / total)
        run += share
    return angles


def ring_layout(centre: Box | None, inner: list[Box], outer: list[Box]) -> RingLayout:
    """Centre at the origin, `inner` on one ring, `outer` on a wider one, each in the given order.

    Every inner centre is nearer the origin than every outer centre: the outer
    radius starts beyond the deepest inner box. A ring with many boxes grows
    until they fit side by side.
    """
    positions: dict[str, tuple[float, float]] = {}
    reach = 0.0
    if centre is not None:
        positions[centre.id] = (0.0, 0.0)
        reach = max(centre.width, centre.height) / 2
    radii = []
    for ring in (inner, outer):
        if not ring:
            continue
        deepest = max(max(b.width, b.height) / 2 for b in ring)
        radius = _ring_radius(ring, reach + RING_GAP + deepest if reach else 0.0)
        for box, angle in zip(ring, _angles(ring, radius), strict=False):
            positions[box.id] = (radius * math.cos(angle), radius * math.sin(angle))
        radii.append(radius)
        reach = radius + deepest
    return RingLayout(positions, tuple(radii))


def order_by_shared_roles(items: list[tuple[str, tuple[str, ...]]], role_order: list[str]) -> list[str]:
    """Ids ordered so that partners sharing roles sit next to each other on a ring.

    Greedy chain: start from the first item (data order), then always take the
    remaining item sharing most roles with the last one placed (ties: the one
    first in data order). Items without roles go last. Deterministic.
    """
    rank = {role: i for i, role in enumerate(role_order)}
    with_roles = [(pid, frozenset(roles)) for pid, roles in items if roles]
    without = [pid for pid, roles in items if not roles]
    # Start from the partner whose first role comes first in the canvas, so rings read alike.
    with_roles.sort(key=lambda item: min(rank.get(r, len(rank)) for r in item[1]))
    chain: list[tuple[str, frozenset]] = []
    remaining = with_roles
    while remaining:
        if not chain:
            chosen = 0
        else:
            last = chain[-1][1]
            chosen = max(range(len(remaining)), key=lambda i: (len(last & remaining[i][1]), -i))
        chain.append(remaining.pop(chosen))
    return [pid for pid, _ in chain] + without
