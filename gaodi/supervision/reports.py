"""进展报告: the two-tier progress-report flow of a cycle (督查督办: 配合单位报牵头单位,
牵头单位汇总后报督查室).

A cooperating department reports its part (tier `part`) to the lead department; the lead
consolidates (tier `lead`) and submits to the inspectors, who accept it or return it with a
comment. Reports of one (cycle, task, department) form a chain of versions: a draft is edited in
place; once submitted (or returned) it is never overwritten, and an edit makes version + 1.

Evidence stays with the version it was uploaded with (files are immutable, a stored name is
unique); a later version shows the evidence of the earlier ones too (`evidence_of`), so that a
department does not upload the same file twice (最多报一次).

Two liaisons of one department may edit the same draft. The form carries the revision of the
chain it was opened on (`revision_of`: latest version and its revision, +1 on every write);
`save_report` compares it under the row lock and refuses a save over a newer write, saying who
made it and when (ReportConflict), so that nothing is silently overwritten. The same form sent
twice (a double click) stores once; the database holds one draft and one accepted version per
chain at most (partial unique constraints), whatever the timing.

These are the writes; what a user sees and may do (the chain, `evidence_of`, `may_see`, the rows
of 本部门本轮任务) is in report_queries.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from gaodi.accounts.choices import Role
from gaodi.accounts.models import Membership
from gaodi.audit.queries import last_change, who_and_when
from gaodi.audit.services import record_change
from gaodi.orgs.models import Department
from gaodi.orgs.roots import root_id_of
from gaodi.orgs.services import Actor
from gaodi.plans.models import Task
from gaodi.today import now

from . import evidence
from .models import Cycle, ProgressReport
from .notify import notify
from .report_queries import Status, Tier, chain, latest_report, lead_department_ids, tier_of

FIELDS = ("progress", "percent", "narrative", "problems", "needs", "checklist")


class ReportRefused(ValueError):
    """Bad input or a step out of turn; `problems` are the Chinese messages. Nothing stored."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


class ReportConflict(ReportRefused):
    """The report was written by someone else since the form was opened: nothing stored, and
    the message says who wrote it and when (optimistic locking)."""

    def __init__(self, current: ProgressReport | None, actor: Actor) -> None:
        record = last_change(current) if current is not None else None
        who, when = who_and_when(record)
        user = _user(actor)
        if user is not None and record is not None and record.actor_id == user.pk:
            message = _("该报告已在另一个窗口修改（您本人于 {when}），请刷新后再改")
        else:
            message = _("该报告已被他人修改（{who}于 {when}），请刷新后再改")
        super().__init__([message.format(who=who or _("他人"), when=when or _("刚才"))])
        self.current = current


@dataclass(frozen=True)
class ReportInput:
    """What a department fills in. `checklist`: task-list 序号 -> {"done": bool, "note": str}."""

    progress: str
    narrative: str
    percent: int | None = None
    problems: str = ""
    needs: str = ""
    checklist: dict[str, dict[str, Any]] = field(default_factory=dict)


def check_input(data: ReportInput) -> list[str]:
    """What is wrong with the input, in Chinese; empty when it may be stored."""
    found: list[str] = []
    if data.progress not in ProgressReport.Progress.values:
        found.append(_("请选择进展状态（未启动、推进中、已完成、滞后）"))
    if data.percent is not None and not 0 <= data.percent <= 100:
        found.append(_("完成百分比应在 0 到 100 之间"))
    if not data.narrative.strip():
        found.append(_("请填写进展情况"))
    return found


def snapshot(report: ProgressReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    found = {name: getattr(report, name) for name in FIELDS}
    found.update(version=report.version, status=report.status, tier=report.tier)
    return found


def revision_of(latest: ProgressReport | None) -> str:
    """The revision token a form carries: the latest version of the chain and its revision
    ("0.0" before the first save). Any write of the chain changes it."""
    return f"{latest.version}.{latest.revision}" if latest is not None else "0.0"


def save_report(
    cycle: Cycle,
    task: Task,
    department: Department,
    data: ReportInput,
    *,
    files: list[evidence.CheckedFile] | None = None,
    actor: Actor,
    seen: str | None = None,
    submit: bool = False,
) -> ProgressReport:
    """Store a draft: edit the current draft in place, or start version + 1 after a submit or a
    return; with `submit`, submit it in the same transaction. Refused (nothing stored, no file
    written) on bad input or an accepted report.

    `seen` is the revision token of the form (`revision_of` when it was opened). When the chain
    has been written since, the save is refused with who did it and when (ReportConflict) —
    unless it is the same form sent twice (a double click, a replayed POST: the same person,
    the same text, no file), which changes nothing and returns the stored report. Without
    `seen` (a command, the demo) the latest draft is edited as it stands."""
    files = files or []
    tier = tier_of(task, department.pk)
    if tier is None:
        raise ReportRefused([_("本部门不是该任务的牵头或配合单位")])
    problems = check_input(data)
    if len(files) > evidence.MAX_FILES:
        problems.append(_("一次最多上传 {n} 个文件").format(n=evidence.MAX_FILES))
    if problems:
        raise ReportRefused(problems)
    written: list[Path] = []
    try:
        with transaction.atomic():
            latest = _lock_latest(cycle, task, department)
            if seen is not None and seen != revision_of(latest):
                if latest is None or not _is_replay(latest, data, files, actor):
                    raise ReportConflict(latest, actor)
                report = latest  # the same form again: stored already
            else:
                report, written = _write_draft(
                    cycle, task, department, tier, latest, data, files, actor
                )
            if submit and report.status == Status.DRAFT:
                report = submit_report(report, actor=actor)
    except IntegrityError:
        # Two first saves at once on PostgreSQL (no row to lock yet): the other one won.
        evidence.discard(written)
        current = latest_report(cycle, task, department.pk)
        if current is None or not _is_replay(current, data, files, actor):
            raise ReportConflict(current, actor) from None
        return (
            submit_report(current, actor=actor)
            if submit and current.status == Status.DRAFT
            else current
        )
    except BaseException:
        evidence.discard(written)
        raise
    return report


def _lock_latest(cycle: Cycle, task: Task, department: Department) -> ProgressReport | None:
    root = root_id_of(department.org_unit_id)
    latest: ProgressReport | None = (
        chain(cycle, task, department.pk, root).select_for_update().order_by("-version").first()
    )
    if latest is not None and latest.status == Status.ACCEPTED:
        raise ReportRefused([_("该报告已通过审阅，不能再修改")])
    return latest


def _write_draft(
    cycle: Cycle,
    task: Task,
    department: Department,
    tier: str,
    latest: ProgressReport | None,
    data: ReportInput,
    files: list[evidence.CheckedFile],
    actor: Actor,
) -> tuple[ProgressReport, list[Path]]:
    report, before = _draft_to_edit(cycle, task, department, tier, latest)
    for name in FIELDS:
        setattr(report, name, getattr(data, name))
    report.revision += 1
    report.save()
    written = evidence.attach(report, files, actor=actor)
    after = snapshot(report) or {}
    after["evidence"] = [checked.name for checked in files]
    record_change(
        report,
        actor=actor,
        action="update" if before and before["version"] == report.version else "create",
        before=before,
        after=after,
        summary=_("保存{report}（填写中）").format(report=report),
    )
    return report, written


def _draft_to_edit(
    cycle: Cycle, task: Task, department: Department, tier: str, latest: ProgressReport | None
) -> tuple[ProgressReport, dict[str, Any] | None]:
    if latest is not None and latest.status == Status.DRAFT:
        return latest, snapshot(latest)
    report = ProgressReport(
        cycle=cycle,
        task=task,
        department=department,
        tier=tier,
        version=latest.version + 1 if latest else 1,
        status=Status.DRAFT,
    )
    return report, snapshot(latest)


def _is_replay(
    latest: ProgressReport, data: ReportInput, files: list[evidence.CheckedFile], actor: Actor
) -> bool:
    """The stored version is what this person sent last: the same form sent again."""
    record = last_change(latest)
    user = _user(actor)
    return (
        not files
        and user is not None
        and record is not None
        and record.actor_id == user.pk
        and record.action in ("create", "update", "submit")
        and _fields(latest) == {name: getattr(data, name) for name in FIELDS}
    )


def submit_report(report: ProgressReport, *, actor: Actor) -> ProgressReport:
    """A part goes to the lead department, a lead report to the inspectors and the work team;
    each of them gets a 待办."""
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != Status.DRAFT:
            raise ReportRefused([_("只有填写中的报告可以报送")])
        problems = check_input(ReportInput(**_fields(report)))
        if problems:
            raise ReportRefused(problems)
        report.status = Status.SUBMITTED
        report.submitted_at = now()
        report.submitted_by = _user(actor)
        report.revision += 1
        report.save(update_fields=["status", "submitted_at", "submitted_by", "revision"])
        record_change(
            report,
            actor=actor,
            action="submit",
            before={"status": Status.DRAFT},
            after={"status": Status.SUBMITTED, "version": report.version},
            summary=_("报送{report}").format(report=report),
        )
        _tell_submitted(report)
    return report


def review_report(
    report: ProgressReport, *, accept: bool, comment: str, actor: Actor
) -> ProgressReport:
    """The inspector accepts a lead report or returns it (a comment is required to return);
    the lead department gets a 待办."""
    comment = comment.strip()
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.tier != Tier.LEAD:
            raise ReportRefused([_("配合单位的报送由牵头单位汇总，不由督查督导审阅")])
        if report.status != Status.SUBMITTED:
            raise ReportRefused([_("只有已报送、尚未审阅的报告可以审阅")])
        if not accept and not comment:
            raise ReportRefused([_("退回时请写明退回意见")])
        report.status = Status.ACCEPTED if accept else Status.RETURNED
        report.reviewed_at = now()
        report.reviewed_by = _user(actor)
        report.review_comment = comment
        report.revision += 1
        report.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "revision"]
        )
        record_change(
            report,
            actor=actor,
            action="accept" if accept else "return",
            before={"status": Status.SUBMITTED},
            after={"status": report.status, "comment": comment},
            summary=_("{verdict}{report}").format(
                verdict=_("通过") if accept else _("退回"), report=report
            ),
        )
        _tell_reviewed(report)
    return report


def _fields(report: ProgressReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in FIELDS}


def _user(actor: Actor) -> AbstractBaseUser | None:
    return actor if isinstance(actor, AbstractBaseUser) else None


# --- who is told ---------------------------------------------------------------------------


def report_url(report: ProgressReport) -> str:
    return reverse(
        "supervision:report", args=[report.cycle_id, report.task_id, report.department_id]
    )


def liaisons(department_ids: list[int]) -> list[AbstractBaseUser]:
    members = Membership.objects.filter(department_id__in=department_ids, role=Role.DEPARTMENT)
    return _users(members)


def reviewers(cycle: Cycle) -> list[AbstractBaseUser]:
    """The inspectors of the schedule's scope and the work team of the plan's place."""
    plan = cycle.schedule.plan
    members = Membership.objects.filter(
        org_unit=plan.org_unit_id, role=Role.INSPECTOR, inspector_scope=cycle.schedule.scope
    ) | Membership.objects.filter(org_unit=plan.org_unit_id, role=Role.ADMIN)
    return _users(members)


def _users(members: QuerySet[Membership]) -> list[AbstractBaseUser]:
    seen: dict[int, AbstractBaseUser] = {}
    for membership in members.select_related("user"):
        seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


def _tell_submitted(report: ProgressReport) -> None:
    cycle = report.cycle
    words = {
        "department": report.department.name,
        "task": report.task.label,
        "period": cycle.period,
        "version": report.version,
    }
    if report.tier == Tier.PART:
        people = liaisons(lead_department_ids(report.task))
        title = _("{department}报送了{task}的配合进展（{period}，第{version}版），请汇总").format(
            **words
        )
        url = reverse(
            "supervision:report",
            args=[cycle.pk, report.task_id, _lead_of(report.task) or report.department_id],
        )
    else:
        people = reviewers(cycle)
        title = _("{department}报送了{task}的进展汇总（{period}，第{version}版），请审阅").format(
            **words
        )
        url = report_url(report)
    for user in people:
        notify(user, f"report-submitted:{report.pk}", title, url=url, due_on=cycle.due_on)


def _lead_of(task: Task) -> int | None:
    found = lead_department_ids(task)
    return found[0] if found else None


def _tell_reviewed(report: ProgressReport) -> None:
    words = {"task": report.task.label, "period": report.cycle.period, "version": report.version}
    if report.status == Status.ACCEPTED:
        title = _("{task}的进展汇总（{period}，第{version}版）已通过").format(**words)
    else:
        title = _("{task}的进展汇总（{period}，第{version}版）被退回，请修改后重新报送").format(
            **words
        )
    for user in liaisons([report.department_id]):
        notify(
            user,
            f"report-reviewed:{report.pk}",
            title,
            body=report.review_comment,
            url=report_url(report),
        )
