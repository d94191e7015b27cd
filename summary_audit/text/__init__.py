"""The reading stage: bytes or text → numbered lines → repaired lines → candidate table blocks.

- `decoding`: bytes → text (BOMs, UTF-16 without one, UTF-8, legacy code pages; binary refused);
- `documents`: notebooks, notebook JSON excerpts, HTML, terminal colours → numbered `Line`s;
- `repairs`: one `Repair` per kind of paste damage (its trigger, its fix), run page by page,
  line by line and block by block, each change recorded as an `AppliedRepair`;
- `cells`: one `CellFix` per kind of damage inside a row's cells (an OCR'd screenshot's `(None，16)`,
  `2S6`, `Nome`, cells glued or split) and a totals line's, tried on what the grammar refused, each
  change kept on the row (`CellRepair`) for the row to fit its formulas or stay unverified;
- `blocks`: the tables a page holds, and the rows quoted without a header;
- `lines`: the records handed on (`Line`, `Page`, `Block`) and what a line is.
"""

from __future__ import annotations

from .blocks import LINKS_ONLY, ROW_LIKE, find_blocks
from .decoding import decode
from .documents import document_lines
from .lines import (FENCE_LINE, HEADER_LINE, MODEL_LINE, RULE_CHARS, RULE_LINE, TOTALS_LINE, AppliedRepair, Block,
                    Line, Page, is_header, is_rule_line, joined_texts, may_be_row, may_hold_a_row)
from .repairs import REPAIRS, SCOPES, Repair, Trigger, clean_lines, repair_block, strip_comment

__all__ = ["FENCE_LINE", "HEADER_LINE", "LINKS_ONLY", "MODEL_LINE", "REPAIRS", "ROW_LIKE", "RULE_CHARS", "RULE_LINE",
           "SCOPES", "TOTALS_LINE", "AppliedRepair", "Block", "Line", "Page", "Repair", "Trigger", "clean_lines",
           "decode", "document_lines", "find_blocks", "is_header", "is_rule_line", "joined_texts", "may_be_row",
           "may_hold_a_row", "repair_block", "strip_comment"]
