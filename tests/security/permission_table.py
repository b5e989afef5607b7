"""Who may do what, route by route: the expected table of the permission matrix test.

Written by hand from the views' code and docstrings and from DESIGN.md ("one gate decides;
'missing' and 'not yours' look the same (404)"), never recorded from the responses. When a
route is added, add it here with what its docstring promises; test_permission_matrix.py fails
for a route that is missing from this table and for a row whose route no longer exists.

Roles (one column each, in this order), all on the demo (gaodi.demo.set_up_demo, 茌平区):

    anonymous         nobody signed in ("public" on the portal)
    school            xuexiao, data clerk of the demo school (below the county)
    department_own    jiaoti, liaison of 区教育和体育局: the department the objects belong to
    department_other  caizheng, liaison of 区财政局: a department with no part in those objects
                      (the test fixture picks objects 区财政局 neither leads nor cooperates on)
    inspector_ducha   ducha, 区委督查室 (督查 scope: records inspections, decides findings)
    inspector_dudao   dudao, 区政府教育督导室 (调度 scope: reviews 调度 reports, publishes)
    leader            lingdao, 领导小组 (reads everything of the place, types nothing but
                      meetings and 批示)
    admin             zhuanban, 工作专班 of the county
    city_admin        shiji, 工作专班 of the city: the gate scopes by place "and everything
                      under it", so the city's work team acts in the county too (except for
                      approval steps, which are level by level)
    outsider          the 工作专班 of another county (东昌府区, made by the test): every role
                      there, none here. The demo plan is 公开发布, so its text is his to read
                      like anybody's; nothing of its supervision or data is.

Outcomes: an HTTP status, or LOGIN (302 to the login page) or REDIRECT (302 anywhere else).
For a write route the POST row says what each role gets for a well-formed request, and
`writers` the roles that may change something: for every other role the test asserts that the
database is unchanged after its POST (whatever its status), so a refusal is never "200 with a
write". Pages are keyed by URL name; API operations by method and OpenAPI path.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = (
    "anonymous",
    "school",
    "department_own",
    "department_other",
    "inspector_ducha",
    "inspector_dudao",
    "leader",
    "admin",
    "city_admin",
    "outsider",
)

Outcome = int | str
Row = tuple[Outcome, ...]

OK = 200
LOGIN = "login"  # 302 to accounts:login
REDIRECT = "redirect"  # 302 somewhere else
UNAUTHORIZED = 401  # the API answers machines, it does not send them to a login page
NOT_FOUND = 404  # missing, or not yours: the same answer
NOT_ALLOWED = 405

WORK_TEAM = frozenset({"admin", "city_admin"})
OWN = frozenset({"department_own"})
NOBODY: frozenset[str] = frozenset()
EVERYBODY = frozenset(ROLES)
SIGNED_IN_ROLES = EVERYBODY - {"anonymous"}


@dataclass(frozen=True)
class Route:
    """A page: what GET answers each role and, for a write route, what POST answers."""

    get: Row
    post: Row | None = None
    writers: frozenset[str] = NOBODY

    def __post_init__(self) -> None:
        assert len(self.get) == len(ROLES), self
        assert self.post is None or len(self.post) == len(ROLES), self
        assert self.writers <= EVERYBODY, self
        assert self.post is not None or not self.writers, self


@dataclass(frozen=True)
class Operation:
    """An API operation (its method is in its key): what it answers each role."""

    expected: Row
    writers: frozenset[str] = NOBODY

    def __post_init__(self) -> None:
        assert len(self.expected) == len(ROLES), self
        assert self.writers <= EVERYBODY, self


# Rows that recur. Columns:
#   anonymous, school, own, other, ducha, dudao, leader, admin, city, outsider
PUBLIC: Row = (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK)
# The plan's own content (text, tasks, departments, tables, indicators): a published plan is
# readable by every signed-in role, and the demo plan is public, so by the outsider too.
SIGNED_IN: Row = (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK)
POST_ONLY: Row = (LOGIN, *[NOT_ALLOWED] * 9)  # require_POST behind login_required
WORK_TEAM_ONLY: Row = (LOGIN, 404, 404, 404, 404, 404, 404, OK, OK, 404)
WORK_TEAM_WRITES: Row = (LOGIN, 404, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404)
# VIEW_FINDINGS: the work team, the leaders and the inspectors of the place.
READERS_OF_FINDINGS: Row = (LOGIN, 404, 404, 404, OK, OK, OK, OK, OK, 404)
# Action.ENTER at the school: its clerk and the work teams above it.
ENTERS_AT_SCHOOL: Row = (LOGIN, OK, 404, 404, 404, 404, 404, OK, OK, 404)
# views_access: overseers (Action.INSPECT) and the department's own liaison; not the leader.
OWN_OR_OVERSEER: Row = (LOGIN, 404, OK, 404, OK, OK, 404, OK, OK, 404)
# inspections / meetings / scores: sees_all (VIEW_FINDINGS) or the own department's items.
OWN_OR_FINDINGS_READER: Row = (LOGIN, 404, OK, 404, OK, OK, OK, OK, OK, 404)
# READ_VALUES at the county (every school) or at the school (its own): 专业预警's readers.
READS_VALUES: Row = (LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)
# 学分银行 writes: the school's clerk (Action.ENTER there) and the work teams (Action.REVIEW).
CREDIT_WRITES: Row = (LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404)
CREDIT_WRITERS = frozenset({"school", "admin", "city_admin"})
ONLY_OWN_WRITES: Row = (LOGIN, 404, REDIRECT, 404, 404, 404, 404, 404, 404, 404)
# Action.VIEW at the plan's place: its members (any role but the school's clerk, whose place is
# the school) and the work team above; not another county.
PLACE_MEMBERS: Row = (LOGIN, 404, OK, OK, OK, OK, OK, OK, OK, 404)
# 经费保障 records: the work team and the liaison of the lead department of （一） (区财政局).
FUNDING_WRITES: Row = (LOGIN, 404, 404, REDIRECT, 404, 404, 404, REDIRECT, REDIRECT, 404)
FUNDING_WRITERS = frozenset({"department_other", "admin", "city_admin"})


PAGES: dict[str, Route] = {
    # --- portal: public, no login ----------------------------------------------------------
    "portal:home": Route(PUBLIC),
    "portal:plan": Route(PUBLIC),  # the demo plan is 公开发布
    "portal:reports": Route(PUBLIC),
    "portal:report": Route(PUBLIC),  # a published 督导报告
    "portal:report_file": Route(PUBLIC),
    # --- accounts ------------------------------------------------------------------------------
    # An empty login form is shown again with its errors; signing in writes nothing watched.
    "accounts:login": Route(PUBLIC, post=PUBLIC),
    # Django 5's LogoutView answers POST only; logging out is everybody's right.
    "accounts:logout": Route((NOT_ALLOWED,) * 10, post=(REDIRECT,) * 10, writers=EVERYBODY),
    # One's own password (the form asks for the current one): every signed-in user, for
    # himself only; a wrong current password changes nothing (the form again, 200).
    "accounts:password_change": Route(SIGNED_IN, post=SIGNED_IN, writers=SIGNED_IN_ROLES),
    # --- API documentation: public (no data, only what the API is) -----------------------------
    "api-docs-asset": Route(PUBLIC),
    "api:openapi-json": Route(PUBLIC),
    "api:openapi-view": Route(PUBLIC),
    "api:api-root": Route((NOT_FOUND,) * 10),  # ninja's placeholder: nothing is served there
    # --- plans -----------------------------------------------------------------------------------
    # A liaison lands on its department's page, a school's clerk on this year's forms.
    "plans:home": Route((LOGIN, REDIRECT, REDIRECT, REDIRECT, OK, OK, OK, OK, OK, OK)),
    "plans:overview": Route(SIGNED_IN),  # findings and history only for VIEW_FINDINGS/HISTORY
    "plans:tasks": Route(SIGNED_IN),
    "plans:task": Route(SIGNED_IN),
    "plans:departments": Route(SIGNED_IN),
    "plans:department": Route(SIGNED_IN),
    "plans:leading_group": Route(SIGNED_IN),
    "plans:tables": Route(SIGNED_IN),
    # Fixing the parse is for the work team of the place (Action.REVIEW); anyone else: 404.
    "plans:review": Route(WORK_TEAM_ONLY),
    "plans:fix_deadline": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "plans:link_row": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "plans:choose_value": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "plans:fix_target": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "plans:set_departments": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # --- audit: "Yours always; others' only for the work team, leaders, inspectors" -----------
    # (of the person's place; the person is the own department's liaison)
    "audit:by_user": Route((LOGIN, 404, OK, 404, OK, OK, OK, OK, OK, 404)),
    # --- indicators --------------------------------------------------------------------------
    "indicators:registry": Route(SIGNED_IN),
    # A form's indicators and rules are plan content; its windows are set by the work team.
    "indicators:data_set": Route(SIGNED_IN, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "indicators:indicator": Route(SIGNED_IN, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # Collection (the school's unit, this year): Action.ENTER at that unit.
    "indicators:collect": Route(ENTERS_AT_SCHOOL),
    # Every plan reader may open the queue; it lists only what he approves (nothing for most).
    "indicators:approvals": Route(SIGNED_IN),
    "indicators:form": Route(
        ENTERS_AT_SCHOOL,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    # htmx check of what is typed: nothing is ever stored.
    "indicators:check": Route(POST_ONLY, post=ENTERS_AT_SCHOOL),
    "indicators:step": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    "indicators:template": Route(ENTERS_AT_SCHOOL),
    "indicators:csv": Route(ENTERS_AT_SCHOOL),
    # No file posted: the upload page lists the problem, nothing stored.
    "indicators:upload": Route(
        ENTERS_AT_SCHOOL, post=ENTERS_AT_SCHOOL, writers=WORK_TEAM | {"school"}
    ),
    # Reported values and roll-ups (live, unapproved included) are Action.READ_VALUES: the
    # work team, leaders, inspectors and the school for its own data; not a department's
    # liaison (DESIGN: unapproved data are scoped), as in the values API.
    "indicators:dashboard": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "indicators:table": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    # --- supervision: schedules, lights, inbox --------------------------------------------
    # What the plan orders (每季度督查, 每两个月调度) and the rounds: plan content.
    "supervision:schedules": Route(SIGNED_IN, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # 红黄绿灯 of the plan's tasks, from reports, chases and findings: for the place (and the
    # places below it), not for everybody a public plan is readable by.
    "supervision:lights": Route((LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, 404)),
    "supervision:inbox": Route(SIGNED_IN),  # one's own 待办
    # The own liaison's 待办; "somebody else's 待办 looks like a missing one".
    "supervision:read": Route(POST_ONLY, post=ONLY_OWN_WRITES, writers=OWN),
    # --- progress reports (views_reports, report_queries) ----------------------------------
    "supervision:my_tasks": Route(SIGNED_IN),  # empty for those without a department here
    # Inspectors, work team, leaders; a liaison is sent to its own tasks; others 404.
    "supervision:report_list": Route((LOGIN, 404, REDIRECT, REDIRECT, OK, OK, OK, OK, OK, 404)),
    # Own report (a task 区财政局 has no part in); only its own liaison writes it.
    "supervision:report": Route(
        OWN_OR_FINDINGS_READER,
        post=(LOGIN, 404, REDIRECT, 404, 404, 404, 404, 404, 404, 404),
        writers=OWN,
    ),
    # A submitted 调度 lead report: the work team or the 调度 inspector (教育督导室).
    "supervision:report_review": Route(
        POST_ONLY,
        post=(LOGIN, 404, 404, 404, 404, REDIRECT, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"inspector_dudao"},
    ),
    "supervision:evidence": Route(OWN_OR_FINDINGS_READER),  # those who may see its report
    # --- 交办/签收 (views_handover) ---------------------------------------------------------
    # Overseers see the list; a liaison is sent to its own handover; the leader has none.
    "supervision:handovers": Route((LOGIN, 404, REDIRECT, REDIRECT, OK, OK, 404, OK, OK, 404)),
    "supervision:handover_issue": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "supervision:handover_chase": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "supervision:handover": Route(OWN_OR_OVERSEER),
    # "only the department itself signs for its tasks"
    "supervision:handover_acknowledge": Route(POST_ONLY, post=ONLY_OWN_WRITES, writers=OWN),
    "supervision:handover_docx": Route(OWN_OR_OVERSEER),
    # --- 延期申请 / 职责异议 (views_requests) --------------------------------------------------
    # Overseers see all, a liaison its own department's (both liaisons get the page).
    "supervision:requests": Route((LOGIN, 404, OK, OK, OK, OK, 404, OK, OK, 404)),
    # Only a liaison of a department assigned to the task asks.
    "supervision:request_new": Route(
        (LOGIN, 404, OK, 404, 404, 404, 404, 404, 404, 404),
        post=ONLY_OWN_WRITES,
        writers=OWN,
    ),
    "supervision:request": Route(OWN_OR_OVERSEER),
    "supervision:request_decide": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # --- 催办 (views_chases) -----------------------------------------------------------------
    "supervision:chases": Route((LOGIN, 404, OK, OK, OK, OK, 404, OK, OK, 404)),
    # A task's 督办记录: overseers and the task's own departments read; overseers chase.
    "supervision:task_chases": Route(
        OWN_OR_OVERSEER,
        post=(LOGIN, 404, 404, 404, REDIRECT, REDIRECT, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"inspector_ducha", "inspector_dudao"},
    ),
    "supervision:chase": Route(OWN_OR_OVERSEER),
    "supervision:chase_answer": Route(POST_ONLY, post=ONLY_OWN_WRITES, writers=OWN),
    # --- 督查 and 整改 (views_inspections) ------------------------------------------------------
    # Every finding for VIEW_FINDINGS, a liaison its own; recording: work team or 区委督查室.
    "supervision:inspections": Route(
        (LOGIN, 404, OK, OK, OK, OK, OK, OK, OK, 404),
        post=(LOGIN, 404, 404, 404, REDIRECT, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"inspector_ducha"},
    ),
    # An inspection whose only finding is the own department's.
    "supervision:inspection": Route(OWN_OR_FINDINGS_READER),
    "supervision:finding_rectify": Route(POST_ONLY, post=ONLY_OWN_WRITES, writers=OWN),
    "supervision:finding_decide": Route(
        POST_ONLY,
        post=(LOGIN, 404, 404, 404, REDIRECT, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"inspector_ducha"},
    ),
    # --- 部门评分: all rows for VIEW_FINDINGS, a liaison its own row; weights: work team ----
    "supervision:scores": Route(
        (LOGIN, 404, OK, OK, OK, OK, OK, OK, OK, 404), post=WORK_TEAM_WRITES, writers=WORK_TEAM
    ),
    # --- 督导报告: drafts for VIEW_FINDINGS; publishing: work team or 教育督导室 ---------------
    "supervision:supervision_reports": Route(READERS_OF_FINDINGS),
    "supervision:supervision_report_file": Route(READERS_OF_FINDINGS),
    # The leader and 区委督查室 read drafts but may not publish: refused with a message
    # (a redirect, nothing written); a liaison, a school, an outsider: 404.
    "supervision:supervision_report_publish": Route(
        POST_ONLY,
        post=(LOGIN, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"inspector_dudao"},
    ),
    # --- 领导驾驶舱: VIEW_FINDINGS ------------------------------------------------------------
    "supervision:overview": Route(READERS_OF_FINDINGS),
    # --- 专业预警: READ_VALUES at the place (all schools) or at the school (its own only) -------
    "specialties:warnings": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    # 重新计算 (POST): the work team of the place (Action.REVIEW) only; anyone else 404.
    "specialties:recompute": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # 规则集: read like 专业预警; defining one (GET the form, POST a new version): the work team.
    "specialties:rule_sets": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "specialties:rule_set_new": Route(WORK_TEAM_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # 写入专业布局指标 (POST): the work team of the place (Action.REVIEW) only; anyone else 404.
    "specialties:feed": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # 专业点年度数据: read like 专业预警; entering (form, upload, template) is Action.ENTER at
    # the school: its clerk and the work teams above it.
    "specialties:offerings": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "specialties:offering_record": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    "specialties:offering_import": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    "specialties:offering_template": Route(ENTERS_AT_SCHOOL),
    # 供求预测参数: read like 专业预警; a new version (POST) by the work team of the place.
    "specialties:supply_parameters": Route(
        (LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404), post=WORK_TEAM_WRITES, writers=WORK_TEAM
    ),
    # 专业目录: read like 专业预警. Its template and upload change what every place shares: the
    # work team of the top of the tree (the province) and the system administrator only — none
    # of the ten roles here, not even the county's or the city's work team.
    "specialties:catalogue": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "specialties:catalogue_template": Route((LOGIN, *[NOT_FOUND] * 9)),
    "specialties:catalogue_import": Route(POST_ONLY, post=(LOGIN, *[NOT_FOUND] * 9)),
    # --- 供求信息: the 专业预警 page's readers; declaring and publishing: the work team only ----
    "specialties:supply_demand": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "specialties:declare": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "specialties:publish": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # Uploading declarations and its template: the work team. No file posted: the upload
    # page lists the problem (200), nothing stored.
    "specialties:declarations_upload": Route(
        WORK_TEAM_ONLY, post=WORK_TEAM_ONLY, writers=WORK_TEAM
    ),
    "specialties:declarations_template": Route(WORK_TEAM_ONLY),
    # A published bulletin and its Excel: the same readers (a school sees it whole: 发布).
    "specialties:bulletin": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "specialties:bulletin_xlsx": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    # --- 评价与成果: read like 专业预警 (READ_VALUES at the place: all schools; at the school: its
    # own); the forms and 重新计算 (POST): the work team of the place (Action.REVIEW); else 404.
    "achievements:overview": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "achievements:record": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "achievements:evaluation": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "achievements:award": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "achievements:recompute": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "achievements:weights": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # --- 学分银行: read like 专业预警 (READ_VALUES at the place: every school's learners; at the
    # school: its own). Writes (POST): the work team of the place (Action.REVIEW) or the clerk of
    # the learner's school (Action.ENTER there); anyone else 404.
    "credits:learners": Route(READS_VALUES),
    "credits:learner": Route(READS_VALUES),
    "credits:queue": Route(READS_VALUES),
    "credits:transcript_pdf": Route(READS_VALUES),
    "credits:rules": Route(READS_VALUES),
    "credits:convert": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    "credits:issue": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    "credits:revoke": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    "credits:step": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    # 证书批量导入: the page and the upload for those who may write at some school; a good file
    # is stored (redirect), a bad one lists its problems (200), nothing stored.
    "credits:import": Route(ENTERS_AT_SCHOOL, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    "credits:register": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    "credits:record": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    # the learner page's forms: a course taken, linking the learner's own account
    "credits:course": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    "credits:account": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    # the import template (.xlsx): the same people as the import page
    "credits:import_template": Route(ENTERS_AT_SCHOOL),
    # Merging identities and changing a school's key: the work team of the place only.
    "credits:merge": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "credits:rotate": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "credits:new_rules": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # 证书体系与认证单元: read like the learners page; adding a scheme, a 认证单元 or a
    # qualification: the work team of the place only.
    "credits:catalogue": Route(READS_VALUES),
    # 考核通过率: the same readers; a sitting is recorded as 登记学习者 (work team or clerk).
    "credits:sittings": Route(READS_VALUES),
    "credits:add_sitting": Route(POST_ONLY, post=CREDIT_WRITES, writers=CREDIT_WRITERS),
    "credits:add_scheme": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "credits:add_unit": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "credits:add_qualification": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # 我的凭证: only a learner signed in with his own account (the demo's xuesheng, none of the
    # ten roles here); everybody else 404.
    "credits:mine": Route((LOGIN, *[NOT_FOUND] * 9)),
    # share links are holder-controlled: only the learner himself makes them (no staff route)
    "credits:my_share": Route(POST_ONLY, post=(LOGIN, *[NOT_FOUND] * 9)),
    "credits:my_withdraw": Route(POST_ONLY, post=(LOGIN, *[NOT_FOUND] * 9)),
    "credits:my_appeal": Route(POST_ONLY, post=(LOGIN, *[NOT_FOUND] * 9)),
    # his own 学习档案 PDF (the address names no learner: nobody gets another's)
    "credits:my_transcript_pdf": Route((LOGIN, *[NOT_FOUND] * 9)),
    # his own credential's signed VC-JWT (.jwt): the holder only (no learner in the address)
    "credits:my_token": Route((LOGIN, *[NOT_FOUND] * 9)),
    # Public, no login, public data only (keys, status bits, a stored token); verifying a
    # pasted token writes nothing.
    "credits:verify": Route(PUBLIC, post=PUBLIC),
    "credits:credential": Route(PUBLIC),
    "credits:issuer": Route(PUBLIC),  # the school's OB 3.0 issuer Profile (its issuer id)
    "credits:jwks": Route(PUBLIC),
    "credits:status": Route(PUBLIC),
    "credits:shared": Route(PUBLIC),  # the demo holder's share link, not expired
    # 师资队伍: read as 专业预警 (READ_VALUES); written with Action.ENTER at the school — its
    # clerk and the work teams above it; anyone else 404, nothing written.
    "teachers:overview": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "teachers:record": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    # A teacher's correction page (离岗, 认定…): Action.ENTER at his school.
    "teachers:edit": Route(
        ENTERS_AT_SCHOOL,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    "teachers:honour": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    "teachers:quota": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    # The roster list: its template, and its upload (a well-formed file: stored, redirected).
    "teachers:template": Route(ENTERS_AT_SCHOOL),
    "teachers:upload": Route(
        ENTERS_AT_SCHOOL,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    # 另存新版本参数: the work team of the plan's place (Action.REVIEW).
    "teachers:rules": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "teachers:feed": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    # --- 产教融合型企业: every member of the plan's place reads (Action.VIEW there: the work team,
    # leaders, inspectors, departments' liaisons — 区财政局 included); a school's clerk and another
    # county 404. Adding, certification steps, cooperation, investment, surcharges, opening the
    # enterprise's own org unit, a new version of the credit parameters (POST): the work team
    # of the place (Action.REVIEW); else 404.
    # (An enterprise's own people, a role none of these columns holds, read its page and declare
    # its investment: gaodi/enterprises/tests/test_views.py.)
    "enterprises:register": Route(PLACE_MEMBERS),
    "enterprises:detail": Route(PLACE_MEMBERS),
    "enterprises:add": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "enterprises:step": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "enterprises:cooperation": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "enterprises:investment": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "enterprises:surcharge": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "enterprises:account": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "enterprises:parameters": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # --- 社会培训与绩效工资: read like 专业预警 (READ_VALUES at the place: all schools; at the
    # school: its own). A training record (POST): Action.ENTER at the school — its clerk and the
    # work team above it. Pay inputs, parameter versions, writing the 附件2 values: the work team
    # of the place (Action.REVIEW). Anyone else 404.
    "training:records": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "training:pay": Route((LOGIN, OK, 404, 404, OK, OK, OK, OK, OK, 404)),
    "training:record": Route(
        POST_ONLY,
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"school"},
    ),
    # The list upload and its template: Action.ENTER at the school, as the form. No file posted:
    # the upload page lists the problem (200), nothing stored.
    "training:upload": Route(
        ENTERS_AT_SCHOOL, post=ENTERS_AT_SCHOOL, writers=WORK_TEAM | {"school"}
    ),
    "training:template": Route(ENTERS_AT_SCHOOL),
    "training:pay_inputs": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "training:parameters": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "training:feed": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # --- 经费保障 (gaodi.funding.views): read by READ_VALUES at the county (work team, leader,
    # inspectors; not a school's clerk) and by the liaison of the department that LEADS the
    # plan's funding task （一） — 区财政局, department_other here; 区教体局 only cooperates.
    # Records (附加, 生均拨款, 债务, 化解): the work team and that liaison. Rules versions and
    # 写入指标: the work team only.
    "funding:overview": Route((LOGIN, 404, 404, OK, OK, OK, OK, OK, OK, 404)),
    "funding:surcharge": Route(POST_ONLY, post=FUNDING_WRITES, writers=FUNDING_WRITERS),
    "funding:appropriation": Route(POST_ONLY, post=FUNDING_WRITES, writers=FUNDING_WRITERS),
    "funding:debt": Route(POST_ONLY, post=FUNDING_WRITES, writers=FUNDING_WRITERS),
    "funding:resolve": Route(POST_ONLY, post=FUNDING_WRITES, writers=FUNDING_WRITERS),
    "funding:rules": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    "funding:feed": Route(POST_ONLY, post=WORK_TEAM_WRITES, writers=WORK_TEAM),
    # --- 会议与批示: all for VIEW_FINDINGS, a liaison its items; writing: work team or leader --
    "supervision:meetings": Route((LOGIN, 404, OK, OK, OK, OK, OK, OK, OK, 404)),
    "supervision:meeting_record": Route(
        POST_ONLY,
        post=(LOGIN, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"leader"},
    ),
    "supervision:tracked_item_add": Route(
        POST_ONLY,
        post=(LOGIN, 404, 404, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT, 404),
        writers=WORK_TEAM | {"leader"},
    ),
    # A meeting whose item is led by the own department (区财政局 has no part in it).
    "supervision:meeting": Route(OWN_OR_FINDINGS_READER),
}


API_SIGNED_IN: Row = (UNAUTHORIZED, OK, OK, OK, OK, OK, OK, OK, OK, OK)
API_VALUE_READERS: Row = (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)

# REST API (/api/v1/, django-ninja): method and OpenAPI path. Signed-in callers only, except
# /public/; the anonymous caller gets 401 (a machine is not sent to a login page).
API: dict[tuple[str, str], Operation] = {
    # Lists are scoped (each caller gets his places' and the public plans), never refused.
    ("GET", "/api/v1/plans"): Operation(API_SIGNED_IN),
    ("GET", "/api/v1/plans/{plan_id}"): Operation(API_SIGNED_IN),  # public plan
    ("GET", "/api/v1/plans/{plan_id}/tasks"): Operation(API_SIGNED_IN),
    # "仅工作专班、领导小组和督查督导可见，其他人得到 404"
    ("GET", "/api/v1/plans/{plan_id}/findings"): Operation(
        (UNAUTHORIZED, 404, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/tasks/{task_id}"): Operation(API_SIGNED_IN),
    # The school's places are the school only: the county's departments are not listed.
    ("GET", "/api/v1/departments"): Operation(API_SIGNED_IN),
    # A department of the county: for the county's people (the school is below it, not in it).
    ("GET", "/api/v1/departments/{department_id}"): Operation(
        (UNAUTHORIZED, 404, OK, OK, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/org-units"): Operation(API_SIGNED_IN),
    ("GET", "/api/v1/plans/{plan_id}/indicators"): Operation(API_SIGNED_IN),
    # The school's values: "只有该机构及其上级的工作专班、领导、督查和本单位填报员可见"
    ("GET", "/api/v1/plans/{plan_id}/values"): Operation(API_VALUE_READERS),
    # Writing the school's values: Action.ENTER there (its clerk, the work teams above).
    ("POST", "/api/v1/plans/{plan_id}/values"): Operation(
        (UNAUTHORIZED, OK, 404, 404, 404, 404, 404, OK, OK, 404), writers=WORK_TEAM | {"school"}
    ),
    # A round's progress reports: scoped (a liaison his department's, the work team, leaders
    # and inspectors all), never refused to whoever reads the plan (the demo plan is public).
    ("GET", "/api/v1/cycles/{cycle_id}/progress"): Operation(API_SIGNED_IN),
    # Writing a progress report without evidence: only the department's own liaison.
    ("POST", "/api/v1/cycles/{cycle_id}/progress"): Operation(
        (UNAUTHORIZED, 404, OK, 404, 404, 404, 404, 404, 404, 404), writers=OWN
    ),
    # The county's roll-up: READ_VALUES at the county (not the school's clerk).
    ("GET", "/api/v1/plans/{plan_id}/rollup"): Operation(
        (UNAUTHORIZED, 404, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    # 专业预警 results: READ_VALUES at the county (every school) or at the school (its own).
    ("GET", "/api/v1/plans/{plan_id}/specialty-warnings"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    # 供求信息 and 专业与产业对接: the same readers as 专业预警 (a school: its own supply).
    ("GET", "/api/v1/plans/{plan_id}/supply-demand"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-alignment"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-offerings"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-rule-sets"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-catalogue"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/supply-demand/bulletins"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    # 评价与成果: as 专业预警, READ_VALUES at the county (every school) or the school (its own).
    ("GET", "/api/v1/plans/{plan_id}/achievements"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/school-evaluations"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/competitions"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    # 学分银行: counts as 评价与成果; a transcript: READ_VALUES at the learner's school.
    ("GET", "/api/v1/plans/{plan_id}/credit-counts"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/exam-pass-rates"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/learners/{learner_id}/transcript"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    # 师资队伍: as 专业预警, READ_VALUES at the county (every school) or the school (its own).
    ("GET", "/api/v1/plans/{plan_id}/teachers"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/teacher-roster"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    # 产教融合型企业 register and credit ledger: the members of the plan's place (Action.VIEW).
    ("GET", "/api/v1/plans/{plan_id}/enterprises"): Operation(
        (UNAUTHORIZED, 404, OK, OK, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/enterprise-credits"): Operation(
        (UNAUTHORIZED, 404, OK, OK, OK, OK, OK, OK, OK, 404)
    ),
    # 社会培训与绩效工资: as 专业预警 (every school at the county, the own school at a school).
    ("GET", "/api/v1/plans/{plan_id}/social-training"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/training-volume"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/plans/{plan_id}/performance-pay"): Operation(
        (UNAUTHORIZED, OK, 404, 404, OK, OK, OK, OK, OK, 404)
    ),
    # 经费保障: READ_VALUES at the county (not a school's clerk: the district's money), and the
    # liaison of the department leading （一）: 区财政局 (department_other), not 区教体局.
    ("GET", "/api/v1/plans/{plan_id}/funding"): Operation(
        (UNAUTHORIZED, 404, 404, OK, OK, OK, OK, OK, OK, 404)
    ),
    ("GET", "/api/v1/public/plans"): Operation(PUBLIC),
    ("GET", "/api/v1/public/plans/{plan_id}"): Operation(PUBLIC),  # the demo plan is public
}
