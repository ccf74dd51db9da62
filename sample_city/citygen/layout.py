"""The plan of the district: river and quays, two street grids, diagonal avenues, blocks and roles.

All coordinates are local metres (``u`` east, ``v`` north) from the district's south-west corner.

The north bank is an old centre: a dense, slightly bent grid (cells about 60–95 m) with some streets
missing (T-junctions, long blocks) and narrow passages through a few blocks. The south bank is a
19th–20th century extension on a grid turned by a few degrees, with larger blocks. Two diagonal
avenues radiate from the main square; four bridges cross the river. Special blocks (park, squares,
town hall, church, school, station, towers, detached houses) are picked by anchor points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from .common import HEIGHT_M, WIDTH_M
from .common import rng as make_rng
from .names import StreetNamer

DISTRICT = box(0.0, 0.0, WIDTH_M, HEIGHT_M)

#: total width of the street corridor (carriageway + pavements) by class, metres
CORRIDOR_M = {"principale": 20.0, "secondaire": 14.0, "desserte": 10.0, "passage": 6.0}
RIVER_HALF_WIDTH_M = 24.0
QUAY_OFFSET_M = 40.0  # river axis → quay street axis

#: anchor points (local metres) of the special places
MAIN_SQUARE = (760.0, 735.0)
STATION = (1150.0, 60.0)
ANCHORS = {
    "market": (440.0, 905.0),
    "church": (1060.0, 835.0),
    "school": (1265.0, 985.0),
    "square_south": (600.0, 300.0),
    "industrial": (1440.0, 70.0),
}
PARK_RECT = (110.0, 470.0, 420.0, 700.0)  # u0, v0, u1, v1: cells whose centre is inside
TOWERS_RECT = (1240.0, 150.0, 1560.0, 380.0)
HOUSES_RECT = (-50.0, -50.0, 470.0, 290.0)
RECENT_RECT = (850.0, 300.0, 1250.0, 430.0)


@dataclass
class Grid:
    """A bent street grid: node coordinates and the edges kept."""

    nodes: np.ndarray  # (nu, nv, 2)
    keep_h: np.ndarray  # (nu-1, nv) edge (i,j)-(i+1,j) kept
    keep_v: np.ndarray  # (nu, nv-1) edge (i,j)-(i,j+1) kept

    def cell(self, i: int, j: int) -> Polygon:
        n = self.nodes
        return Polygon([n[i, j], n[i + 1, j], n[i + 1, j + 1], n[i, j + 1]])

    def cell_centres(self) -> np.ndarray:
        n = self.nodes
        return (n[:-1, :-1] + n[1:, :-1] + n[1:, 1:] + n[:-1, 1:]) / 4.0

    def nearest_cell(self, point) -> tuple[int, int]:
        c = self.cell_centres()
        d = np.hypot(c[..., 0] - point[0], c[..., 1] - point[1])
        i, j = np.unravel_index(np.argmin(d), d.shape)
        return int(i), int(j)

    def cells_in(self, rect) -> list[tuple[int, int]]:
        c = self.cell_centres()
        u0, v0, u1, v1 = rect
        inside = (c[..., 0] > u0) & (c[..., 0] < u1) & (c[..., 1] > v0) & (c[..., 1] < v1)
        return [(int(i), int(j)) for i, j in zip(*np.nonzero(inside))]

    def merge_cells(self, cells: list[tuple[int, int]]) -> None:
        """Drop the streets between the given cells (one superblock)."""
        s = set(cells)
        for i, j in cells:
            if (i, j - 1) in s:
                self.keep_h[i, j] = False
            if (i - 1, j) in s:
                self.keep_v[i, j] = False

    def lines(self):
        """(index, 'ew'|'ns', LineString) per grid line, kept edges only (may be several parts)."""
        out = []
        n = self.nodes
        for j in range(n.shape[1]):
            parts = [LineString([n[i, j], n[i + 1, j]]) for i in range(n.shape[0] - 1) if self.keep_h[i, j]]
            if parts:
                out.append((j, "ew", shapely.line_merge(shapely.MultiLineString(parts))))
        for i in range(n.shape[0]):
            parts = [LineString([n[i, j], n[i, j + 1]]) for j in range(n.shape[1] - 1) if self.keep_v[i, j]]
            if parts:
                out.append((i, "ns", shapely.line_merge(shapely.MultiLineString(parts))))
        return out


def make_grid(us, vs, angle_deg, pivot, jitter_m, rng, bend_m=9.0) -> Grid:
    """Nodes on jittered rows/columns turned by ``angle_deg`` about ``pivot``, slightly bent."""
    uu, vv = np.meshgrid(np.asarray(us, float), np.asarray(vs, float), indexing="ij")
    # a gentle bend: rows sag, columns lean, so no street is quite parallel to the next
    vv = vv + bend_m * np.sin(uu / 240.0 + 0.7)
    uu = uu + bend_m * np.sin(vv / 190.0 + 1.9)
    # more jitter towards the west (the oldest part of the old town)
    scale = jitter_m * (1.0 + 0.8 * np.clip((900.0 - uu) / 900.0, 0.0, 1.0))
    uu = uu + rng.uniform(-1.0, 1.0, uu.shape) * scale
    vv = vv + rng.uniform(-1.0, 1.0, vv.shape) * scale
    a = np.radians(angle_deg)
    du, dv = uu - pivot[0], vv - pivot[1]
    nodes = np.stack(
        [pivot[0] + du * np.cos(a) - dv * np.sin(a), pivot[1] + du * np.sin(a) + dv * np.cos(a)], axis=-1
    )
    nu, nv = uu.shape
    return Grid(nodes, np.ones((nu - 1, nv), bool), np.ones((nu, nv - 1), bool))


def drop_edges(grid: Grid, fraction: float, rng, protected: set[tuple[int, int]]) -> None:
    """Remove about ``fraction`` of the inner streets (T-junctions, long blocks), never around
    the ``protected`` cells and never leaving a node with fewer than 3 streets."""
    nu, nv = grid.nodes.shape[:2]
    degree = np.zeros((nu, nv), int)
    degree[:-1, :] += grid.keep_h
    degree[1:, :] += grid.keep_h
    degree[:, :-1] += grid.keep_v
    degree[:, 1:] += grid.keep_v
    edges = [("h", i, j) for i in range(nu - 1) for j in range(1, nv - 1)]
    edges += [("v", i, j) for i in range(1, nu - 1) for j in range(nv - 1)]
    order = rng.permutation(len(edges))
    target = int(fraction * len(edges))
    dropped = 0
    for k in order:
        if dropped >= target:
            break
        kind, i, j = edges[k]
        a, b = ((i, j), (i + 1, j)) if kind == "h" else ((i, j), (i, j + 1))
        sides = {(i, j - 1), (i, j)} if kind == "h" else {(i - 1, j), (i, j)}
        if sides & protected:
            continue
        if degree[a] < 4 or degree[b] < 4:  # keep every node at 3 streets or more
            continue
        (grid.keep_h if kind == "h" else grid.keep_v)[i, j] = False
        degree[a] -= 1
        degree[b] -= 1
        dropped += 1


def _spacings(rng, start, stop, low, high):
    out = [start]
    while out[-1] < stop:
        out.append(out[-1] + rng.uniform(low, high))
    return np.array(out)


@dataclass
class StreetLine:
    geom: object
    nom: str
    classe: str
    corridor_m: float
    vitesse_kmh: int
    tmja_base: int


@dataclass
class Layout:
    river_axis: LineString
    river: Polygon
    north_grid: Grid
    south_grid: Grid
    streets: list[StreetLine]
    blocks: list[Polygon] = field(default_factory=list)
    block_role: list[str] = field(default_factory=list)
    block_angle: list[float] = field(default_factory=list)
    #: (geometry, type, nom) of the land use polygons
    landuse: list[tuple[object, str, str]] = field(default_factory=list)


def river_axis() -> LineString:
    u = np.arange(-120.0, WIDTH_M + 121.0, 10.0)
    v = 440.0 + 26.0 * np.sin(2 * np.pi * u / 1500.0 + 0.5) + 9.0 * np.sin(2 * np.pi * u / 520.0 + 1.3)
    return LineString(np.column_stack([u, v]))


def build_layout() -> Layout:
    """The whole plan; deterministic."""
    rng = make_rng("layout")
    namer = StreetNamer(make_rng("street-names"))
    axis = river_axis()
    river = shapely.buffer(axis, RIVER_HALF_WIDTH_M, cap_style="flat")
    north_quay = shapely.offset_curve(axis, QUAY_OFFSET_M)
    south_quay = shapely.offset_curve(axis, -QUAY_OFFSET_M)
    north_zone = Polygon([*north_quay.coords, (WIDTH_M + 200, HEIGHT_M + 200), (-200, HEIGHT_M + 200)])
    south_zone = Polygon([*south_quay.coords, (WIDTH_M + 200, -200), (-200, -200)])

    north = make_grid(
        _spacings(rng, -60, WIDTH_M + 80, 66, 96),
        _spacings(rng, 330, HEIGHT_M + 80, 62, 88),
        angle_deg=-3.0,
        pivot=(800, 800),
        jitter_m=6.0,
        rng=rng,
        bend_m=15.0,
    )
    south = make_grid(
        _spacings(rng, -80, WIDTH_M + 100, 92, 122),
        _spacings(rng, -90, 560, 84, 108),
        angle_deg=6.5,
        pivot=(800, 250),
        jitter_m=4.0,
        rng=rng,
        bend_m=6.0,
    )
    main_cell = north.nearest_cell(MAIN_SQUARE)
    station_cell = south.nearest_cell(STATION)
    station_cell = (station_cell[0], station_cell[1] + 1)  # the square, in front of the station
    protected_n = {main_cell, (main_cell[0] + 1, main_cell[1]), (main_cell[0], main_cell[1] + 1)}
    protected_n |= {north.nearest_cell(a) for a in ANCHORS.values() if a[1] > 450}
    protected_n |= set(north.cells_in(PARK_RECT))
    protected_s = {station_cell, (station_cell[0], station_cell[1] - 1)}
    protected_s |= {south.nearest_cell(a) for a in ANCHORS.values() if a[1] <= 450}
    protected_s |= set(south.cells_in(TOWERS_RECT))
    drop_edges(north, 0.13, rng, protected_n)
    drop_edges(south, 0.05, rng, protected_s)
    north.merge_cells(north.cells_in(PARK_RECT))
    south.merge_cells(south.cells_in(TOWERS_RECT))
    north.merge_cells([main_cell, (main_cell[0] + 1, main_cell[1])])

    streets: list[StreetLine] = []
    square_poly = shapely.union(north.cell(*main_cell), north.cell(main_cell[0] + 1, main_cell[1]))
    station_poly = south.cell(*station_cell)
    centre = np.asarray(square_poly.centroid.coords[0])

    # -- grid streets, named line by line
    for grid, zone, bank in ((north, north_zone, "n"), (south, south_zone, "s")):
        for _index, direction, geom in grid.lines():
            geom = shapely.intersection(geom, shapely.buffer(zone, 1.5))
            if geom.is_empty:
                continue
            mid = np.asarray(shapely.centroid(geom).coords[0])
            classe = "desserte"
            if bank == "n" and direction == "ew" and abs(mid[1] - 1085) < 40:
                classe = "principale"
            elif bank == "s" and direction == "ew" and abs(mid[1] - 215) < 45:
                classe = "principale"
            elif bank == "s" and direction == "ns" and abs(mid[0] - 700) < 55:
                classe = "principale"
            elif direction == "ns" and abs(mid[0] - centre[0]) < 120 and bank == "n":
                classe = "secondaire"
            elif bank == "n" and direction == "ew" and abs(mid[1] - 880) < 40:
                classe = "secondaire"
            elif bank == "s" and direction == "ns" and abs(mid[0] - 1420) < 60:
                classe = "secondaire"
            elif bank == "s" and direction == "ew" and abs(mid[1] - 100) < 40:
                classe = "secondaire"
            streets.append(_street(namer, geom, classe, rng))

    # -- quays
    streets.append(_street(namer, north_quay, "principale", rng, kind="quai"))
    streets.append(_street(namer, south_quay, "secondaire", rng, kind="quai"))

    # -- bridges: a north-bank street continued across to the nearest south-bank street end
    for target_u, classe in ((300.0, "desserte"), (700.0, "principale"), (1380.0, "secondaire")):
        top = _quay_end(north, north_quay, target_u)
        bottom = _quay_end(south, south_quay, top[0], search_m=45.0)
        if bottom is None:
            bottom = np.asarray(
                shapely.line_interpolate_point(south_quay, south_quay.project(Point(top))).coords[0]
            )
        streets.append(_street(namer, LineString([top, bottom]), classe, rng, kind="pont"))

    # -- diagonal avenues from the main square: to the station (crossing the river) and to the north-west
    station_centre = np.asarray(station_poly.centroid.coords[0])
    diag1 = shapely.difference(LineString([centre, station_centre]), shapely.union(square_poly, station_poly))
    streets.append(_street(namer, diag1, "principale", rng, kind="gare"))
    far = centre + (np.array([-1.0, 0.78]) / np.hypot(1.0, 0.78)) * 1400.0
    diag2 = shapely.difference(LineString([centre, far]), square_poly)
    streets.append(_street(namer, diag2, "principale", rng, kind="avenue"))

    # -- passages through some old blocks
    special = {
        main_cell,
        north.nearest_cell(ANCHORS["market"]),
        north.nearest_cell(ANCHORS["church"]),
        north.nearest_cell(ANCHORS["school"]),
        (main_cell[0], main_cell[1] + 1),
        (main_cell[0] + 1, main_cell[1]),
    }
    special |= set(north.cells_in(PARK_RECT))
    for i in range(north.nodes.shape[0] - 1):
        for j in range(north.nodes.shape[1] - 1):
            if (i, j) in special or rng.random() > 0.16:
                continue
            cell = north.cell(i, j)
            c = cell.centroid
            if not north_zone.contains(c) or not DISTRICT.contains(c) or cell.area < 4500:
                continue
            n = north.nodes
            t1, t2 = rng.uniform(0.35, 0.65, 2)
            horizontal_cut = rng.random() < 0.5
            if not (
                north.keep_h[i, j] and north.keep_h[i, j + 1]
                if horizontal_cut
                else north.keep_v[i, j] and north.keep_v[i + 1, j]
            ):
                continue
            if horizontal_cut:
                a = n[i, j] + t1 * (n[i + 1, j] - n[i, j])
                b = n[i, j + 1] + t2 * (n[i + 1, j + 1] - n[i, j + 1])
            else:
                a = n[i, j] + t1 * (n[i, j + 1] - n[i, j])
                b = n[i + 1, j] + t2 * (n[i + 1, j + 1] - n[i + 1, j])
            streets.append(_street(namer, LineString([a, b]), "desserte", rng, kind="passage"))

    streets = [s for s in streets if not s.geom.is_empty]
    for s in streets:
        s.geom = shapely.intersection(s.geom, DISTRICT)
    streets = [s for s in streets if not s.geom.is_empty and s.geom.length > 1.0]

    layout = Layout(axis, shapely.intersection(river, DISTRICT), north, south, streets)
    _make_blocks(layout, north_zone, south_zone, square_poly, station_poly, main_cell, station_cell)
    return layout


def _street(namer: StreetNamer, geom, classe: str, rng, kind: str | None = None) -> StreetLine:
    corridor = CORRIDOR_M["passage" if kind == "passage" else classe]
    if kind == "quai":
        corridor = 16.0
    speed = {"principale": 50, "secondaire": 50 if rng.random() < 0.5 else 30, "desserte": 30}[classe]
    if kind == "passage":
        speed = 20
    low, high = {"principale": (13000, 26000), "secondaire": (3500, 9500), "desserte": (500, 2600)}[classe]
    tmja = int(rng.integers(low, high))
    if kind == "passage":
        tmja = int(rng.integers(500, 900))
    return StreetLine(geom, namer.name(classe, kind), classe, corridor, speed, tmja)


def _quay_end(grid: Grid, quay: LineString, target_u: float, search_m: float = 1e9):
    """Where the grid column nearest ``target_u`` meets the quay (its end on the river side)."""
    best, best_d = None, search_m
    n = grid.nodes
    for i in range(n.shape[0]):
        col = LineString(n[i])
        hit = shapely.intersection(col, quay)
        for p in shapely.get_parts(hit):
            if p.geom_type != "Point":
                continue
            d = abs(p.x - target_u)
            if d < best_d:
                best, best_d = np.array([p.x, p.y]), d
    return best


def street_corridors(streets: list[StreetLine]):
    """The public space of the streets: each axis widened by its corridor.

    Ends that meet another street (T-junctions) are cut square, so a wide street ending on a narrow
    one does not bite into the block opposite; free ends and corners are rounded.
    """
    parts, half = [], []
    for s in streets:
        for p in shapely.get_parts(s.geom):
            parts.append(p)
            half.append(s.corridor_m / 2.0)
    parts = np.array(parts, dtype=object)
    half = np.array(half)
    bodies = shapely.buffer(parts, half, cap_style="flat", join_style="mitre")
    ends = np.concatenate([shapely.get_point(parts, 0), shapely.get_point(parts, -1)])
    owner = np.concatenate([np.arange(len(parts)), np.arange(len(parts))])
    tree = shapely.STRtree(parts)
    point_i, line_i = tree.query(ends, predicate="dwithin", distance=0.5)
    on_other = np.zeros(len(ends), bool)
    on_other[point_i[line_i != owner[point_i]]] = True
    caps = shapely.buffer(ends[~on_other], half[owner[~on_other]], quad_segs=4)
    return shapely.union_all(np.concatenate([bodies, caps]))


def _make_blocks(layout, north_zone, south_zone, square_poly, station_poly, main_cell, station_cell) -> None:
    corridors = street_corridors(layout.streets)
    land = shapely.intersection(shapely.union(north_zone, south_zone), DISTRICT)
    open_space = shapely.difference(land, corridors)
    parts = [p for p in shapely.get_parts(open_space) if p.area > 150.0]
    parts.sort(key=lambda p: (round(p.centroid.y, 1), round(p.centroid.x, 1)))
    roles = ["perimeter"] * len(parts)
    tree = shapely.STRtree(parts)

    def block_at(point) -> int | None:
        hits = tree.query(Point(point), predicate="intersects")
        if len(hits):
            return int(hits[0])
        near = tree.nearest(Point(point))
        return int(near) if near is not None else None

    north, south = layout.north_grid, layout.south_grid
    for k, p in enumerate(parts):
        c = p.centroid
        angle = 6.5 if c.y < 420 else -3.0
        layout.block_angle.append(angle)
        if north_zone.contains(c):
            roles[k] = "historic"
        else:
            roles[k] = "faubourg"
            if _in(c, HOUSES_RECT):
                roles[k] = "houses"
            elif _in(c, RECENT_RECT):
                roles[k] = "recent"
    for cell in north.cells_in(PARK_RECT):
        k = block_at(north.cell(*cell).centroid.coords[0])
        roles[k] = "park"
    for cell in south.cells_in(TOWERS_RECT):
        k = block_at(south.cell(*cell).centroid.coords[0])
        if roles[k] != "park":
            roles[k] = "towers"
    roles[block_at(square_poly.centroid.coords[0])] = "main_square"
    roles[block_at(station_poly.centroid.coords[0])] = "station_square"
    roles[block_at(north.cell(main_cell[0], main_cell[1] + 1).centroid.coords[0])] = "townhall"
    roles[block_at(south.cell(station_cell[0], station_cell[1] - 1).centroid.coords[0])] = "station"
    for role, anchor in ANCHORS.items():
        grid = north if anchor[1] > 450 else south
        roles[block_at(grid.cell(*grid.nearest_cell(anchor)).centroid.coords[0])] = role
    # corner pieces cut off around the main square by the diagonals stay open (part of the square)
    for k, p in enumerate(parts):
        if roles[k] == "historic" and p.area < 900 and p.distance(square_poly) < 25.0:
            roles[k] = "main_square"
    layout.blocks = parts
    layout.block_role = roles

    names = {
        "park": "Jardin des Tilleuls (fictif)",
        "main_square": "Place de la Mairie (fictive)",
        "station_square": "Parvis de la Gare (fictif)",
        "market": "Place du Marché (fictive)",
        "church": "Parvis Saint-Aubin (fictif)",
        "square_south": "Square des Peupliers (fictif)",
    }
    kinds = {
        "park": "parc",
        "square_south": "parc",
        "main_square": "place",
        "station_square": "place",
        "market": "place",
        "church": "place",
    }
    for role, kind in kinds.items():
        geoms = [p for p, r in zip(parts, roles) if r == role]
        if geoms:
            layout.landuse.append((shapely.union_all(geoms), kind, names[role]))
    layout.landuse.insert(0, (layout.river, "eau", "La Vilaine (tracé fictif)"))


def _in(point, rect) -> bool:
    u0, v0, u1, v1 = rect
    return u0 < point.x < u1 and v0 < point.y < v1
