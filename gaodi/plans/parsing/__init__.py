"""Plan parsing: a plan document (.txt / .docx / .pdf) -> a PlanDraft. Pure Python, no Django."""

from __future__ import annotations

from pathlib import Path

from gaodi.i18n import _

from .draft import PlanDraft
from .plan import build_draft
from .readers import MAX_BYTES, Block, Line, ParseError, read_blocks
from .responsibility import clear_tag_cache
from .text import SIMPLIFIED_ONLY, clear_fold_cache, has_traditional

__all__ = ["ParseError", "PlanDraft", "example_plan_path", "parse_bytes", "parse_path"]


def parse_bytes(data: bytes, name: str = "") -> PlanDraft:
    """Parse a plan from its bytes; the format is sniffed (a `name` whose extension lies about
    the content is refused). Raises ParseError (Chinese message)."""
    # Each parse pays for its own folding and tag reading: honest timings, bounded memory.
    clear_fold_cache()
    clear_tag_cache()
    blocks, source_format = read_blocks(data, name)
    token = SIMPLIFIED_ONLY.set(not has_traditional(_all_text(blocks)))
    try:
        return build_draft(blocks, source_format)
    except RecursionError as exc:
        raise ParseError(_("文件结构过于复杂，无法解析")) from exc
    finally:
        SIMPLIFIED_ONLY.reset(token)
        clear_fold_cache()


def _all_text(blocks: list[Block]) -> str:
    texts = (b.text if isinstance(b, Line) else "\t".join(map("\t".join, b.rows)) for b in blocks)
    return "\n".join(texts)


def parse_path(path: str | Path) -> PlanDraft:
    """Parse a plan file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ParseError(_("文件过大（超过 20 MB），请拆分后再上传"))
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ParseError(_("找不到文件：{path}").format(path=path)) from exc
    except IsADirectoryError as exc:
        raise ParseError(_("这是一个目录，不是文件：{path}").format(path=path)) from exc
    except OSError as exc:
        raise ParseError(_("无法读取文件：{path}").format(path=path)) from exc
    return parse_bytes(data, path.name)


def example_plan_path() -> Path:
    """The reference plan shipped with Gaodi: 聊茌政发〔2020〕19号."""
    return Path(__file__).resolve().parent.parent / "examples" / "chiping-2020-19.txt"
