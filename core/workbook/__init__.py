"""Workbooks: reading (engines, locating sheets and headers, converting cells) and writing.

Data flows one way: file -> rows of cells (:mod:`.engines`) -> located sheets
(:mod:`.locate`) -> typed values and findings (:mod:`.convert`) -> records (:mod:`.load`);
and records -> cells -> file (:mod:`.export`).
"""
