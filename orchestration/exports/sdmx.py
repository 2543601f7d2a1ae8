"""The indicator values and the tracking results as SDMX, with pysdmx.

    sdmx/structure.xml       SDMX-ML 3.0 structure message: code lists, the concept scheme, one
                             data structure definition and one dataflow per table (sdmx.yml)
    sdmx/<DATAFLOW>.csv      the data as SDMX-CSV 2.0
    sdmx/<DATAFLOW>.xml      the same data as SDMX-ML 3.0 structure-specific

Which mart column becomes which dimension, measure or attribute is reviewed data in sdmx.yml.
Coded components take their code lists from a mart (indicators, regions) or from the seed
code_labels (statuses, forms, bases). pysdmx writes every name with xml:lang="en"; our names are
Chinese then English in one string.

pysdmx formats every value and row in Python (25 s for the national indicator values) and builds
a whole SDMX-ML message as one string; sdmx_rows.py writes the same bytes a chunk of rows at a
time with polars, pysdmx still writing the structure, the messages' head and tail and the rows
it would escape in ways sdmx_rows does not reproduce.
"""

from __future__ import annotations

import re
from datetime import UTC
from functools import cache
from pathlib import Path

import polars as pl
from pysdmx.io import write_sdmx
from pysdmx.io.format import Format
from pysdmx.model import Code, Codelist, Concept, ConceptScheme, DataType
from pysdmx.model.dataflow import Component, Components, Dataflow, DataStructureDefinition, Role
from pysdmx.model.message import Header

from orchestration.exports import sdmx_rows
from orchestration.exports.docs import code_labels
from orchestration.exports.workbook import build_date
from orchestration.yamlfiles import load_yaml

FOLDER = "sdmx"
CONFIG = Path(__file__).with_name("sdmx.yml")
NOT_APPLICABLE = "_Z"
NOT_ID = r"[^A-Za-z0-9_@$-]+"  # the same pattern in Python's re and polars' regex


@cache
def config() -> dict:
    return load_yaml(CONFIG)


def tables() -> set[str]:
    """The marts SDMX reads: its code lists' and its dataflows'."""
    c = config()
    return {spec["table"] for spec in c["code_lists"].values()} | {spec["table"] for spec in c["dataflows"].values()}


def sdmx_id(code: object) -> str:
    """An SDMX id ([A-Za-z0-9_@$-]+) for a code: other characters become '_'."""
    return re.sub(NOT_ID, "_", str(code)).strip("_")


def _urn(kind: str, ident: str, item: str | None = None) -> str:
    c = config()
    package = {"Codelist": "codelist", "Concept": "conceptscheme", "DataStructure": "datastructure"}[kind]
    base = f"urn:sdmx:org.sdmx.infomodel.{package}.{kind}={c['agency']['id']}:{ident}({c['version']})"
    return f"{base}.{item}" if item else base


def _dtype(dtype: pl.DataType) -> DataType:
    if dtype.is_float():
        return DataType.DOUBLE
    if dtype.is_integer():
        return DataType.INTEGER
    return DataType.STRING


def codelists(frames: dict[str, pl.DataFrame]) -> dict[str, Codelist]:
    """column -> code list, for the columns of the marts (code_lists) and of code_labels."""
    c = config()
    out = {}
    for cl_id, spec in c["code_lists"].items():
        rows = frames[spec["table"]].select(spec["id"], spec["name"], spec["description"]).sort(spec["id"]).rows()
        out[spec["id"]] = Codelist(id=cl_id, urn=_urn("Codelist", cl_id), agency=c["agency"]["id"], name=cl_id,
                                   version=c["version"],
                                   items=[Code(id=sdmx_id(i), name=n, description=d) for i, n, d in rows])
    for column, codes in sorted(code_labels().items()):
        cl_id = f"CL_{column.upper()}"
        out.setdefault(column, Codelist(
            id=cl_id, urn=_urn("Codelist", cl_id), agency=c["agency"]["id"], name=cl_id, version=c["version"],
            items=[Code(id=sdmx_id(k), name=v["zh"], description=v["en"]) for k, v in sorted(codes.items())]))
    return out


def structures(frames: dict[str, pl.DataFrame]) -> tuple[list, dict[str, tuple[DataStructureDefinition, dict]]]:
    """The artefacts of structure.xml, and per dataflow its DSD and component -> column map."""
    c = config()
    agency, version, scheme = c["agency"]["id"], c["version"], c["concept_scheme"]["id"]
    lists = codelists(frames)
    concepts: dict[str, Concept] = {}
    flows, artefacts, used_lists = {}, [], {}
    for flow_id, spec in c["dataflows"].items():
        frame = frames[spec["table"]]
        components, mapping = [], {}
        for role, key in ((Role.DIMENSION, "dimensions"), (Role.MEASURE, "measure"), (Role.ATTRIBUTE, "attributes")):
            for comp_id, column in spec[key].items():
                if column not in frame.columns:
                    continue
                mapping[comp_id] = column
                codes = lists.get(column)
                dtype = DataType.YEAR if comp_id == "TIME_PERIOD" else (
                    DataType.STRING if role == Role.DIMENSION else _dtype(frame.schema[column]))
                concept = concepts.setdefault(comp_id, Concept(
                    id=comp_id, urn=_urn("Concept", scheme, comp_id), name=comp_id,
                    dtype=None if codes else dtype))
                if codes:
                    used_lists[codes.id] = codes
                components.append(Component(
                    id=comp_id, required=role != Role.ATTRIBUTE, role=role, concept=concept,
                    local_codes=codes, local_dtype=None if codes else dtype,
                    attachment_level="O" if role == Role.ATTRIBUTE else None))
        dsd = DataStructureDefinition(id=f"DSD_{flow_id}", agency=agency, name=spec["name"], version=version,
                                      components=Components(components))
        flows[flow_id] = (dsd, mapping)
        artefacts += [dsd, Dataflow(id=f"DF_{flow_id}", agency=agency, name=spec["name"], version=version,
                                    structure=dsd)]
    scheme_obj = ConceptScheme(id=scheme, agency=agency, name=c["concept_scheme"]["name"], version=version,
                               items=list(concepts.values()))
    return [*sorted(used_lists.values(), key=lambda x: x.id), scheme_obj, *artefacts], flows


def observations(frame: pl.DataFrame, dsd: DataStructureDefinition, mapping: dict[str, str]) -> pl.DataFrame:
    """The rows as SDMX observations, sorted by their key: codes as SDMX ids, null dimensions _Z,
    years as text."""
    columns = []
    for comp in dsd.components:
        col = frame[mapping[comp.id]]
        if comp.local_codes is not None or comp.role == Role.DIMENSION:
            col = col.cast(pl.String)
            if col.str.contains(f"{NOT_ID}|^_|_$").any():  # sdmx_id, column-wise (most codes are ids already)
                col = col.str.replace_all(NOT_ID, "_").str.strip_chars("_")
            if comp.role == Role.DIMENSION:
                col = col.fill_null(NOT_APPLICABLE)
        columns.append(col.alias(comp.id))
    keys = [c.id for c in dsd.components if c.role == Role.DIMENSION]
    out = pl.DataFrame(columns).sort(keys)
    # sorted, a key seen twice is on adjacent rows (cheaper than is_duplicated's hash table)
    repeated = out.select(pl.all_horizontal(pl.col(k) == pl.col(k).shift(1) for k in keys)).to_series().fill_null(False)
    if repeated.any():
        raise ValueError(f"SDMX {dsd.id}: dimensions {keys} do not identify the rows, e.g. "
                         f"{out.row(repeated.arg_true()[0])}; add the missing dimension in orchestration/exports/sdmx.yml")
    for comp in dsd.components:
        if comp.local_codes is not None:
            known = {code.id for code in comp.local_codes.items} | {NOT_APPLICABLE}
            unknown = sorted(set(out[comp.id].drop_nulls().unique().to_list()) - known)
            if unknown:
                raise ValueError(f"SDMX {dsd.id}.{comp.id}: codes {unknown} are not in {comp.local_codes.id} "
                                 f"(add them to transforms/seeds/serving/code_labels.csv)")
    return out


def write(folder: Path, frames: dict[str, pl.DataFrame]) -> list[str]:
    """Write structure.xml and each dataflow as SDMX-CSV 2.0 and SDMX-ML 3.0; returns file names."""
    folder.mkdir(parents=True, exist_ok=True)
    header = Header(id="BAYANNUR_CLIMATE_EXPORT", prepared=build_date().replace(tzinfo=UTC))
    artefacts, flows = structures(frames)
    write_sdmx(artefacts, Format.STRUCTURE_SDMX_ML_3_0, str(folder / "structure.xml"), header=header)
    files = ["structure.xml"]
    for flow_id, (dsd, mapping) in flows.items():
        table = config()["dataflows"][flow_id]["table"]
        data = observations(frames[table], dsd, mapping)
        schema = dsd.to_schema()
        sdmx_rows.write_csv(folder / f"{flow_id}.csv", schema, data)
        sdmx_rows.write_ml(folder / f"{flow_id}.xml", schema, data, header)
        files += [f"{flow_id}.csv", f"{flow_id}.xml"]
    return [f"{FOLDER}/{name}" for name in files]
