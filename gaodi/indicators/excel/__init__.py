"""Excel and CSV round trip of a reporting form: the template a clerk downloads, fills in and
uploads again, a CSV of 代码,数值, and a workbook of many schools at once (one row a school).

Reading is strict because a spreadsheet is easy to get subtly wrong: the template names its
data set, org unit, period and version in a hidden sheet (``_meta``) and must come back to the
same form; its labels and formulas are locked and must come back unchanged; a number cell
holds a number (not text, a date or a formula). Every problem names its place (``填报!D7``,
``第3行``), the value found and a Chinese reason, and nothing is stored while there is one.
Values go through `store_values`, the one write path (all or nothing, upsert: uploading the
same file twice stores the same values).

The sheet names are part of the file format (the reader looks them up), so they are fixed
strings rather than translated ones.

The modules, by concept: `cells` (the format's names and places, the problem types, cells as
numbers), `template` (writing the template), `reading` (reading it back, a sheet's formulas),
`csvfile` (代码,数值), `units` (the many-schools workbook) and `service` (the ORM side: a
data set's rows and values, the imports). Callers use this package's names, re-exported here.
"""

from gaodi.files.exports import XLSX_MIME

from .cells import (
    FIRST_ROW,
    FORMAT_VERSION,
    GUIDE_SHEET,
    HEADER_ROW,
    MAX_INTEGER,
    META_FIELDS,
    META_SHEET,
    SHEET,
    SIX_PLACES,
    UNIT_CODE_HEADER,
    VALUE_COLUMN,
    CellError,
    CellProblem,
    FileRefused,
    Line,
    Read,
    TemplateId,
    fit,
    shown,
    text_to_decimal,
    to_decimal,
)
from .csvfile import read_csv, write_csv
from .reading import read_template, sheet_formulas
from .service import (
    import_file,
    import_workbook,
    lines_of,
    stored_values,
    template_filename,
    template_for,
    template_id,
)
from .template import excel_formula, row_of, template_version, write_template
from .units import UnitsRead, read_units_workbook, write_units_workbook

__all__ = [
    "FIRST_ROW",
    "FORMAT_VERSION",
    "GUIDE_SHEET",
    "HEADER_ROW",
    "MAX_INTEGER",
    "META_FIELDS",
    "META_SHEET",
    "SHEET",
    "SIX_PLACES",
    "UNIT_CODE_HEADER",
    "VALUE_COLUMN",
    "XLSX_MIME",
    "CellError",
    "CellProblem",
    "FileRefused",
    "Line",
    "Read",
    "TemplateId",
    "UnitsRead",
    "excel_formula",
    "fit",
    "import_file",
    "import_workbook",
    "lines_of",
    "read_csv",
    "read_template",
    "read_units_workbook",
    "row_of",
    "sheet_formulas",
    "shown",
    "stored_values",
    "template_filename",
    "template_for",
    "template_id",
    "template_version",
    "text_to_decimal",
    "to_decimal",
    "write_csv",
    "write_template",
    "write_units_workbook",
]
