"""gaodi import-plan FILE: parse a plan document and store it as a new version."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.audit.context import new_request_id
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.parsing import ParseError, parse_path
from gaodi.plans.services import ImportRefused, import_plan


class Command(BaseCommand):
    help = _("解析方案文件并导入为新版本（同一文号再次导入生成第2版并记录差异）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("方案文件（.txt/.docx/.pdf）"))
        parser.add_argument("--org", help=_("所属机构代码，如 371503（默认按发文机关判断）"))

    def handle(self, *args: Any, **options: Any) -> None:
        new_request_id("cli-")
        path = Path(options["file"])
        try:
            draft = parse_path(path)
        except ParseError as exc:
            raise CommandError(str(exc)) from exc
        ensure_reference_tree(actor=None)
        unit = None
        if options.get("org"):
            unit = OrgUnit.objects.filter(code=options["org"]).first()
            if unit is None:
                raise CommandError(_("没有代码为 {code} 的机构").format(code=options["org"]))
        try:
            plan = import_plan(
                draft,
                actor=None,
                org_unit=unit,
                source_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("已导入《{title}》第{version}版：{tasks}项任务，{rows}行任务清单").format(
                title=plan.title,
                version=plan.version,
                tasks=plan.tasks.count(),
                rows=plan.task_list.count(),
            )
        )
