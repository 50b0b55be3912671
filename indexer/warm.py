"""Imported by the fork server of the NLP workers (see `ParallelEnricher`): the default pipeline is
built once there, so every worker forked from it, and every worker recycled later, starts with the
model already loaded instead of loading it again (about 1.5 s of CPU each)."""

from .enrich import Enricher

try:
    Enricher()  # the same call as a worker's, so the worker hits build_pipeline's cache
except Exception:  # noqa: BLE001  (a worker that cannot build the pipeline reports why itself)
    pass
