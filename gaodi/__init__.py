"""Gaodi (高地): a vocational-education implementation plan, run, supervised and measured."""

__version__ = "0.1.0"
