"""gaodi createuser USERNAME --role ROLE (--org CODE | --department NAME --org CODE)."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.audit.context import new_request_id
from gaodi.orgs.models import Department, OrgUnit


class Command(BaseCommand):
    help = _("创建用户并授予角色：工作专班、领导小组、部门联络员、督查督导、学校填报员……")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("用户名"))
        parser.add_argument("--role", required=True, choices=Role.values, help=_("角色"))
        parser.add_argument("--org", required=True, help=_("机构代码，如 371503"))
        parser.add_argument("--department", help=_("部门名称（部门联络员必填），如 区财政局"))
        parser.add_argument("--name", default="", help=_("姓名或说明"))
        parser.add_argument(
            "--scope", choices=InspectorScope.values, default="", help=_("督查范围")
        )
        parser.add_argument("--password", help=_("密码（不填则交互输入）"))

    def handle(self, *args: Any, **options: Any) -> None:
        new_request_id("cli-")
        unit = OrgUnit.objects.filter(code=options["org"]).first()
        if unit is None:
            raise CommandError(_("没有代码为 {code} 的机构").format(code=options["org"]))
        department = None
        if options["role"] == Role.DEPARTMENT or options.get("department"):
            department = Department.objects.filter(
                org_unit=unit, name=options.get("department") or ""
            ).first()
            if department is None:
                raise CommandError(
                    _("{unit}没有名为“{name}”的部门").format(
                        unit=unit, name=options.get("department")
                    )
                )
        user_model = get_user_model()
        if user_model.objects.filter(username=options["username"]).exists():
            raise CommandError(
                _("用户 {username} 已存在，未作修改").format(username=options["username"])
            )
        password = options.get("password") or getpass.getpass(_("密码："))
        try:
            validate_password(password, user=user_model(username=options["username"]))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        create_member(
            options["username"],
            password,
            role=options["role"],
            actor=None,
            full_name=options["name"],
            org_unit=None if department else unit,
            department=department,
            inspector_scope=options["scope"],
        )
        self.stdout.write(
            _("已创建用户 {username}（{role}）").format(
                username=options["username"], role=Role(options["role"]).label
            )
        )
