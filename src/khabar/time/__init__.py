"""Time expressions: finding them in text and placing them on the calendar.

``find`` recognises expressions, ``tense`` reads the tense of their clause, ``resolve`` turns
them into intervals of days with a granularity against an anchor date, ``timex`` writes those
as TIMEX3 values, and ``stage`` registers ``time.expressions.v1``.
"""

from khabar.time.interpret import Interpretation, Interpreter, interpret
from khabar.time.timex import timex_value

__all__ = ["Interpretation", "Interpreter", "interpret", "timex_value"]
