"""Files in and out: the one set of defences every upload goes through (`checks`, pure; and
`uploads`, the Django side: limits from settings and the memory-only upload handler), and the
one cell writer every spreadsheet export goes through (`exports`: formula injection)."""
