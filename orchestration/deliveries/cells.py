"""A column of text cells -> its typed series, and (row, message) for every cell that is wrong.

Numbers are parsed and converted in decimal, so that the digits delivered are the digits loaded
(978000 平方米 is 97.8 万平方米, not 97.80000000000001); -0 is folded to 0."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import polars as pl

from orchestration import settings
from orchestration.deliveries.contract import ColumnSpec, Contract
from orchestration.deliveries.regions import region_aliases
from orchestration.yamlfiles import load_yaml

# Footnote marks that yearbooks attach to names (杭锦后旗①, 临河区*).
FOOTNOTE_MARKS = re.compile(r"[①-⑳⑴-⒇*＊†‡#＃\s]|\(\d\)|（\d）")
# Minus signs that NFKC leaves alone: U+2212 (typeset minus), U+2013/2014 are not minus signs.
_MINUS = str.maketrans({"\u2212": "-", "\ufe63": "-"})
# What Python's \s and str.strip() take for white space, spelled out for polars: Rust's \s and
# strip leave out \x1c-\x1f.
PY_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
           "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


# Characters NFKC leaves as they are (ASCII, 、。 and the CJK unified ideographs, none of which
# composes): only cells holding another character are normalised, few in most deliveries.
_NFKC_UNSTABLE = r"[^\x00-\x7f\u3001\u3002\u4e00-\u9fff]"


# A cell of only these characters holds no footnote mark, nothing NFKC changes and no white space:
# a column of such cells skips those passes (one scan instead of four or five per column).
_NOT_PLAIN = r"[^0-9A-Za-z.,+%\-\u3001\u3002\u4e00-\u9fff]"


def plain(text: pl.Series) -> bool:
    """Whether every cell is plain (nulls are)."""
    return not text.str.contains(_NOT_PLAIN).any()


def nfkc(text: pl.Series) -> pl.Series:
    where = text.str.contains(_NFKC_UNSTABLE).fill_null(False).arg_true()
    # scatter writes in place: on a copy, the delivered text is quoted in messages
    return text.clone().scatter(where, text.gather(where).str.normalize("NFKC")) if where.len() else text


def norm_series(text: pl.Series) -> pl.Series:
    """regions.norm of every cell: NFKC, then no white space (only on the cells not plain)."""
    where = text.str.contains(_NOT_PLAIN).fill_null(False).arg_true()
    if not where.len():
        return text
    return text.clone().scatter(where, nfkc(text.gather(where)).str.replace_all(f"[{PY_SPACE}]+", ""))


@cache
def unit_factors() -> dict[str, dict[str, Decimal]]:
    """canonical unit -> {delivered unit: factor}, as decimals (YAML's floats through their text)."""
    spec = load_yaml(settings.CONTRACTS_DIR / "units.yml")
    return {unit: {k: Decimal(str(v)) for k, v in table.items()} for unit, table in spec.items()}


def parse_number(text: str) -> Decimal | str:
    """The cell as a finite decimal, or why it is not one."""
    cleaned = re.sub(r"[,\s]", "", text.translate(_MINUS))
    cleaned = cleaned.removesuffix("%")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cleaned):
        lowered = cleaned.lower().lstrip("+-")
        if lowered in ("nan", "inf", "infinity"):
            return f"'{text}' is not a finite number (NaN or infinity)"
        return f"'{text}' is not a number"
    return Decimal(cleaned)


def _fold(value: Decimal) -> float:
    return float(value) + 0.0  # + 0.0 folds -0.0 to 0.0


def convert(contract: Contract, spec: ColumnSpec, col: pl.Series, rows: pl.Series,
            unit_line_factor: Decimal) -> tuple[list[pl.Series], list[tuple[int, str]]]:
    problems: list[tuple[int, str]] = []
    clean = plain(col)
    if clean:
        norm = col
    else:  # footnote marks first: NFKC would turn ① into a plain "1"
        marked = col.str.contains(FOOTNOTE_MARKS.pattern).any()  # each pass only where a cell needs it
        norm = nfkc(col.str.replace_all(FOOTNOTE_MARKS.pattern, "") if marked else col).str.strip_chars()
    is_missing = norm.is_null() | norm.is_in(list(contract.missing_values))
    if spec.fill_down:
        norm = pl.select(pl.when(is_missing).then(None).otherwise(norm).forward_fill()).to_series()
        is_missing = norm.is_null()
    if contract.refuses_blank(spec):
        what = "the region cell is blank" if spec.type == "region" else (
            "value is missing; this column is required" if spec.required else "a key cell is blank")
        problems += [(r, what) for r in rows.filter(is_missing)]

    def bad(mask: pl.Series, message) -> None:
        problems.extend((r, message(v)) for r, v in zip(rows.filter(mask), col.filter(mask)))

    if spec.type == "region":
        names = norm if clean else norm.str.replace_all(r"\s+", "")
        codes = names.replace_strict(region_aliases(), default=None, return_dtype=pl.String)
        bad(codes.is_null() & ~is_missing, lambda v: f"'{v}' is not a known region: no such name or alias "
            "in transforms/seeds/regions.csv or region_aliases.csv")
        return [names.alias(f"{spec.name.removesuffix('_code')}_name_as_delivered"), codes.alias(spec.name)], problems
    if spec.type == "year":
        text = norm.str.replace(r"年$", "")
        years = text.cast(pl.Int32, strict=False)
        bad(years.is_null() & ~is_missing, lambda v: f"'{v}' is not a year")
        bad(years.is_not_null() & ~text.str.contains(r"^\d{4}$"),
            lambda v: f"'{v}' is not a four-digit year (write 2021, not 21)")
        configured = [int(y) for y in settings.YEARS]
        bad(text.str.contains(r"^\d{4}$") & ~years.is_in(configured),
            lambda v: f"year '{v}' is outside the configured years {configured[0]}-{configured[-1]}")
        return [years.alias("year")], problems
    if spec.type == "category":
        lookup = {text: code for code, texts in spec.values for text in texts}
        codes = (norm if clean else norm.str.replace_all(r"\s+", "")).replace_strict(lookup, default=None,
                                                                                     return_dtype=pl.String)
        bad(codes.is_null() & ~is_missing, lambda v: f"'{v}' is not one of the known values "
            f"{[t for _, texts in spec.values for t in texts]}")
        return [codes.alias(spec.name)], problems
    if spec.type == "text":
        return [pl.select(pl.when(is_missing).then(None).otherwise(norm)).to_series().alias(spec.name)], problems

    factor = unit_line_factor if spec.scaled else Decimal(1)
    if spec.delivered_unit and spec.delivered_unit != spec.unit:
        accepted = unit_factors().get(spec.unit or "", {})
        if spec.delivered_unit not in accepted:
            raise ValueError(f"contract {contract.source}/{contract.dataset}: no conversion from "
                             f"{spec.delivered_unit} to {spec.unit} in contracts/units.yml")
        factor *= accepted[spec.delivered_unit]
    series, found = numbers(norm, is_missing, factor)
    problems += [(rows[i], message) for i, message in found]
    series = series.alias(spec.name)
    problems += plausibility(spec, series, rows)
    return [series], problems


# parse_number's grammar in ASCII digits, split into sign, integer digits, fraction digits, exponent.
_NUMBER = r"^([+-]?)([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$"
_ASCII_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _scaled(text: pl.Series, f_digits: int, f_exp: int) -> pl.Series:
    """Plain ASCII numbers times f_digits x 10^f_exp, each rounded once; null where this path does
    not give Decimal's result (not a plain number, over 28 digits, a huge exponent)."""
    parts = text.str.extract_groups(_NUMBER).struct.unnest()
    sign, whole, frac, exp = (parts[c] for c in parts.columns)
    mantissa = (whole + frac).str.strip_chars_start("0").replace("", "0")
    power = exp.fill_null("0").cast(pl.Int64, strict=False) - frac.str.len_chars().cast(pl.Int64) + f_exp
    if f_digits != 1:  # the mantissa times the factor's digits, while that fits in 63 bits
        fits = mantissa.str.len_chars() <= 18 - len(str(f_digits))
        mantissa = pl.select(pl.when(fits).then(mantissa.cast(pl.Int64, strict=False) * f_digits)).to_series()
        mantissa = mantissa.cast(pl.String)
    values = (sign + mantissa + "e" + power.cast(pl.String)).cast(pl.Float64, strict=False)
    # Decimal rounds a product to 28 digits and traps huge exponents: such cells take its path.
    plain = text.str.contains(_ASCII_NUMBER) & (mantissa.str.len_chars() <= 28) & (power.abs() <= 400)
    return pl.select(pl.when(plain).then(values)).to_series()


def numbers(norm: pl.Series, is_missing: pl.Series, factor: Decimal) -> tuple[pl.Series, list[tuple[int, str]]]:
    """The cells as floats, each the correctly rounded value of (delivered decimal x factor), and
    (index, why) for every cell that is not a number. Decimal arithmetic without Decimal objects:
    the digits times the factor's digits, the exponents added, then one rounding by the float
    parser; cells outside that path (long digit strings, non-ASCII digits, anything not a plain
    number) go through parse_number one by one."""
    _, digits, exponent = factor.normalize().as_tuple()
    f_digits, f_exp = int("".join(map(str, digits))), int(exponent)
    text = norm
    if text.str.contains(f"[\u2212\ufe63,%{PY_SPACE}]").any():
        text = (text.str.replace_all("[\u2212\ufe63]", "-").str.replace_all(f"[,{PY_SPACE}]", "")
                .str.strip_suffix("%"))
    if f_digits == 1 and f_exp == 0:
        # Unscaled: a short plain number (no exponent, at most 28 characters, so Decimal keeps
        # every digit) is the float parser's value of the text itself.
        short = text.str.contains(_ASCII_NUMBER) & (text.str.len_bytes() <= 28) & ~text.str.contains("[eE]")
        values = pl.select(pl.when(short).then(text.cast(pl.Float64, strict=False))).to_series()
        rest = (~short.fill_null(False) & ~is_missing).fill_null(False)
        if rest.any():
            where = rest.arg_true()
            values = values.scatter(where, _scaled(text.gather(where), 1, 0))
    else:
        values = _scaled(text, f_digits, f_exp)
    # -0.0 folded to 0.0 (polars simplifies away the + 0.0 that does it in Python)
    values = pl.select(pl.when(is_missing).then(None).when(values == 0).then(pl.lit(0.0)).otherwise(values)).to_series()
    slow = (values.is_null() & ~is_missing).fill_null(False)
    problems: list[tuple[int, str]] = []
    if slow.any():
        where = slow.arg_true()
        redone: list[float | None] = []
        for i, cell in zip(where, norm.gather(where)):
            parsed = parse_number(cell)
            if isinstance(parsed, str):
                problems.append((i, parsed))
                redone.append(None)
            else:
                redone.append(_fold(parsed * factor))
        values = values.scatter(where, pl.Series(redone, dtype=pl.Float64))
    return values, problems


def plausibility(spec: ColumnSpec, values: pl.Series, rows: pl.Series) -> list[tuple[int, str]]:
    """The contract's bounds on a number column, and the scale of a percent."""
    problems = []
    low = spec.min if spec.min is not None else (0 if spec.percent else None)
    high = spec.max if spec.max is not None else (100 if spec.percent else None)
    unit = f" {spec.unit}" if spec.unit else ""
    outside = pl.repeat(False, values.len(), eager=True)
    if low is not None:
        outside |= values < low
    if high is not None:
        outside |= values > high
    outside = outside.fill_null(False)
    for row, v in zip(rows.filter(outside), values.filter(outside)):  # only the rows out of bounds
        if low is not None and v < low:
            why = "negative where the quantity cannot be" if low == 0 else "below the plausible range"
            problems.append((row, f"{v:g}{unit} is {why} (contract: min {low:g})"))
        else:
            problems.append((row, f"{v:g}{unit} is above the plausible range (contract: max {high:g})"))
    present = values.drop_nulls()
    if spec.percent and present.len() and present.abs().max() <= 1 and present.abs().max() > 0:
        problems.append((int(rows.filter(values.is_not_null())[0]),
                         f"every value of the column lies between 0 and 1 ({', '.join(f'{v:g}' for v in present[:3])}"
                         f"...): a fraction where a percent (0-100) is expected; deliver percent"))
    return problems
