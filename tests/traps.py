"""A spaCy component that misbehaves on purpose, for the fault tests: it does what a marker in the
article's text says. Registered on import; workers load it through `PipelineSpec(imports=..., components=...)`."""

from __future__ import annotations

import os
import signal
import sys
import time

from spacy.language import Language
from spacy.tokens import Doc

NEVER_ENDING = "TRAP-NEVER-ENDING"  # loops for good (a scan that does not advance)
MEMORY_HOG = "TRAP-MEMORY-HOG"  # grows without bound
SEGFAULT = "TRAP-SEGFAULT"  # the worker dies of a signal
RAISES = "TRAP-RAISES"  # an exception in the component
REPORT_PREFECT = "TRAP-REPORT-PREFECT"  # fails, saying whether Prefect is imported in this process


def misbehave(doc: Doc) -> Doc:
    text = doc.text
    if NEVER_ENDING in text:
        while True:
            time.sleep(0.01)
    if MEMORY_HOG in text:
        hoard = []
        while True:
            hoard.append(bytearray(50 * 2**20))
            time.sleep(0.01)
    if SEGFAULT in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    if REPORT_PREFECT in text:
        raise RuntimeError(f"prefect imported: {'prefect' in sys.modules}")
    if RAISES in text:
        raise ValueError("the trap component refused this article")
    return doc


@Language.factory("presswatch_test_trap")
def make_trap(nlp: Language, name: str):
    return misbehave
