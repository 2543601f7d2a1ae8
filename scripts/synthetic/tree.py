"""A synthetic region tree shaped like GB/T 2260: provinces (PP0000) -> cities (PPCC00) -> county-level
units (PPCCDD), with made-up Chinese names (unique, so deliveries can name them) and English names
that say they are synthetic. The project's own tree can be embedded, so the plan's city and its
counties keep their codes and the city-level deliveries of the sample still fit."""

from __future__ import annotations

import random

import polars as pl

from scripts.benchmark.compat import REGION_COLUMNS

# Province-level prefixes in use in GB/T 2260 (11 Beijing ... 65 Xinjiang): the shape, not the places.
PROVINCE_PREFIXES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                     50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
_CHARS = ("安平和兴宁远昌顺德丰泰新华东西南北山河江湖川源清阳林城水石金玉龙凤云海长永定嘉庆福寿康乐吉"
          "祥信义仁礼静怀恩广隆盛阜通宜靖鸿崇临沙泉溪峰岭原渠营关")
_COUNTY_SUFFIXES = ("县", "区", "旗")


def _stems(rng: random.Random):
    """Endless two-character name stems (a pair of different characters)."""
    while True:
        stem = rng.choice(_CHARS) + rng.choice(_CHARS)
        if stem[0] != stem[1]:
            yield stem


def build_tree(counties: int, seed: int, base: pl.DataFrame | None = None, provinces: bool = True) -> pl.DataFrame:
    """`counties` county-level units in all, the base tree's (if given) among them. Without
    `provinces`, cities name their province as parent_code but the province has no row (as the
    project's seed does today)."""
    rng = random.Random(seed)
    rows: list[dict] = []
    taken: set[str] = set()
    if base is not None and base.height:
        rows = base.select(REGION_COLUMNS).to_dicts()
        taken = {r["name_zh"] for r in rows}
    have = sum(r["level"] == "county" for r in rows)
    if counties < have:
        raise ValueError(f"{counties} county-level units asked for, but the embedded tree alone has {have}")
    codes = {r["region_code"] for r in rows}
    stems = _stems(rng)

    def name(suffix: str) -> str:
        while (n := next(stems) + suffix) in taken:
            pass
        taken.add(n)
        return n

    # Parents the base tree names but does not hold (its province) become rows too.
    for code in sorted({r["parent_code"] for r in rows if r["parent_code"]} - codes):
        rows.append({"region_code": code, "name_zh": name("省"), "name_en": f"Synthetic province {code}",
                     "level": "province", "parent_code": None})
        codes.add(code)
    prefixes = sorted({int(c[:2]) for c in codes}) + [p for p in PROVINCE_PREFIXES if f"{p}0000" not in codes]
    remaining = counties - have
    rounds = 0
    while remaining > 0:
        for prefix in prefixes:
            province = f"{prefix:02d}0000"
            if province not in codes:
                rows.append({"region_code": province, "name_zh": name("省"), "name_en": f"Synthetic province {province}",
                             "level": "province", "parent_code": None})
                codes.add(province)
            free_cities = [c for c in range(1, 100) if f"{prefix:02d}{c:02d}00" not in codes]
            for c in free_cities[: rng.randint(6, 14)]:
                if remaining <= 0:
                    break
                city = f"{prefix:02d}{c:02d}00"
                rows.append({"region_code": city, "name_zh": name("市"), "name_en": f"Synthetic city {city}",
                             "level": "city", "parent_code": province})
                codes.add(city)
                n = min(rng.randint(4, 14), remaining)
                for d in range(1, n + 1):
                    suffix = "区" if d <= 2 else rng.choice(_COUNTY_SUFFIXES)
                    county = f"{city[:4]}{d if d <= 2 else 20 + d:02d}"
                    rows.append({"region_code": county, "name_zh": name(suffix),
                                 "name_en": f"Synthetic county {county}", "level": "county", "parent_code": city})
                    codes.add(county)
                remaining -= n
            if remaining <= 0:
                break
        rounds += 1
        if rounds > 100:
            raise RuntimeError("the code space ran out")
    tree = pl.DataFrame(rows, schema={c: pl.String for c in REGION_COLUMNS}).sort("region_code")
    return tree if provinces else tree.filter(pl.col("level") != "province")
