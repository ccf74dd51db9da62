"""Invented French street names (trades, trees, birds, old things), each used once."""

from __future__ import annotations

COMPLEMENTS = [
    "des Cordiers",
    "des Tisserands",
    "des Tonneliers",
    "des Vanniers",
    "des Chapeliers",
    "des Potiers",
    "des Fondeurs",
    "des Drapiers",
    "des Charrons",
    "des Couteliers",
    "des Cloutiers",
    "des Ardoisiers",
    "des Verriers",
    "des Brodeuses",
    "des Teinturiers",
    "des Sabotiers",
    "des Ciriers",
    "des Tanneurs",
    "des Tilleuls",
    "des Peupliers",
    "des Châtaigniers",
    "des Aulnes",
    "des Frênes",
    "des Saules",
    "des Marronniers",
    "des Ormes",
    "des Charmes",
    "des Noisetiers",
    "des Sureaux",
    "des Érables",
    "des Hirondelles",
    "des Mésanges",
    "des Martinets",
    "des Alouettes",
    "des Hérons",
    "des Loriots",
    "des Bergeronnettes",
    "des Rouges-Gorges",
    "des Courlis",
    "des Grives",
    "du Puits-Carré",
    "de la Herse",
    "du Pressoir",
    "de l'Écluse",
    "du Gué",
    "des Rouets",
    "de la Lanterne",
    "du Cadran",
    "de la Balance",
    "des Trois-Marches",
    "de la Fontaine-Close",
    "du Vieux-Pont",
    "des Trois-Ormeaux",
    "de la Cloche",
    "du Grenier-à-Sel",
    "de la Girouette",
    "du Bon-Puits",
    "des Quatre-Vents",
    "de la Croix-Verte",
    "du Pilori",
    "de l'Étape",
    "des Moulins-Neufs",
    "de la Poterne",
    "du Chat-qui-Dort",
    "de la Corne-de-Cerf",
    "du Soleil-Levant",
    "de la Barbacane",
    "des Petits-Ponts",
    "de la Chaîne",
    "du Boulevard-Vert",
    "de la Tour-Carrée",
    "du Pavé-Neuf",
    "de la Lune",
    "des Étoiles",
    "de l'Ardoise",
    "du Lin",
    "du Chanvre",
    "de la Laine",
    "du Sel",
    "des Glycines",
    "des Lilas",
    "des Iris",
    "des Capucines",
    "des Pivoines",
    "des Violettes",
    "des Camélias",
    "des Hortensias",
    "des Bleuets",
    "des Coquelicots",
    "des Jonquilles",
]

PREFIXES = {
    "principale": ["Boulevard", "Avenue"],
    "secondaire": ["Rue"],
    "desserte": ["Rue", "Rue", "Rue", "Ruelle"],
    "passage": ["Passage", "Venelle", "Cour"],
}


class StreetNamer:
    """Hands out street names, never the same twice."""

    def __init__(self, rng) -> None:
        self._pool = [COMPLEMENTS[i] for i in rng.permutation(len(COMPLEMENTS))]
        self._rng = rng
        self._used: set[str] = set()

    def name(self, classe: str, kind: str | None = None) -> str:
        if kind == "gare":
            return "Avenue de la Gare"
        if kind == "avenue":
            return "Avenue des Remparts"
        if kind == "quai":
            prefix = "Quai"
        elif kind == "pont":
            prefix = "Pont"
        else:
            options = PREFIXES["passage" if kind == "passage" else classe]
            prefix = options[int(self._rng.integers(len(options)))]
        for _ in range(len(self._pool)):
            complement = self._pool.pop(0)
            self._pool.append(complement)
            name = f"{prefix} {complement}"
            if name not in self._used:
                self._used.add(name)
                return name
        return f"{prefix} n°{len(self._used)}"
