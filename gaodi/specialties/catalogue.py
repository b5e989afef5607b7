"""What the plan and the catalogues say, as data: the industries of 重点任务（八） and the 十强
rows of 附件2 二、专业布局, the specialties the plan's school offers, in the 2010 中职 catalogue
(the names the plan uses, e.g. 会计电算化) and the 2021 catalogue (会计事务).

Codes: none could be checked against the catalogues' own text (a search of the stored public
pages found the 2021 catalogue's announcement — 19 大类, 358 个中职专业 — but not its code
list), so every code here is a placeholder marked 待核实 ("示例" + a number), never shown as a
real code. The district replaces them with the catalogue's codes; nothing else depends on them.
"""

from __future__ import annotations

CLAUSE_EIGHT = "聊茌政发〔2020〕19号 重点任务（八）"
LAYOUT = "聊茌政发〔2020〕19号 附件2 二、专业布局"
LAYOUT_TITLE = "二、专业布局"

CATALOGUE_2010 = "中等职业学校专业目录（2010年修订）"
CATALOGUE_2021 = "职业教育专业目录（2021年）"
CATALOGUE_2021_SOURCE = (
    "教育部《职业教育专业目录（2021年）》（2021年3月印发，共设中职专业358个）；专业代码待核实"
)
CATALOGUE_2010_SOURCE = "教育部《中等职业学校专业目录（2010年修订）》；专业代码待核实"
MAPPING_SOURCE = "新旧目录按专业名称对照（会计电算化→会计事务），待核实目录所附对照表"

# (group, [names]) in the order the plan names them.
INDUSTRIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("新兴产业", ("新材料", "高端装备制造", "新能源汽车", "医养健康"), CLAUSE_EIGHT),
    (
        "传统产业",
        ("有色金属及金属深加工", "纺织服装", "现代高效农业", "文化旅游"),
        CLAUSE_EIGHT,
    ),
    ("紧缺", ("家政服务", "电商物流", "人工智能"), CLAUSE_EIGHT),
    (
        "十强产业",
        (
            "新一代信息技术",
            "高端装备",
            "新能源新材料",
            "现代海洋",
            "医养健康",
            "高端化工",
            "现代高效农业",
            "文化创意",
            "精品旅游",
            "现代金融服务",
        ),
        LAYOUT + "（备注：新旧动能转换“十强”产业）",
    ),
)

# name in 2021 catalogue, name in 2010 catalogue, specialty class (for exemptions), 十强 industry
SPECIALTIES: tuple[tuple[str, str, str, str], ...] = (
    ("计算机应用", "计算机应用", "其他", "新一代信息技术"),
    ("机电技术应用", "机电技术应用", "其他", "高端装备"),
    ("数控技术应用", "数控技术应用", "其他", "高端装备"),
    ("康复技术", "康复技术", "健康服务", "医养健康"),
    ("旅游服务与管理", "旅游服务与管理", "其他", "精品旅游"),
    ("会计事务", "会计电算化", "其他", "现代金融服务"),
    ("电子商务", "电子商务", "其他", "现代金融服务"),
)

YEAR_COLUMNS = {2019: "现有基础（2019年）", 2020: "2020年", 2021: "2021年", 2022: "2022年"}


def placeholder_code(catalogue: str, index: int) -> str:
    """示例01, 示例02...: a code to be replaced by the catalogue's own (待核实)."""
    prefix = "示例" if catalogue == CATALOGUE_2021 else "示例旧"
    return f"{prefix}{index:02d}"
