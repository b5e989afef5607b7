from django.urls import path

from . import views, views_board, views_reports

app_name = "supervision"
urlpatterns = [
    path("plans/<int:pk>/schedules/", views.schedules, name="schedules"),
    path("plans/<int:pk>/lights/", views_board.lights, name="lights"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
    # Progress reports (issue 5): views_reports.py
    path("plans/<int:pk>/my-tasks/", views_reports.my_tasks, name="my_tasks"),
    path("plans/<int:pk>/reports/", views_reports.report_list, name="report_list"),
    path(
        "cycles/<int:cycle_pk>/tasks/<int:task_pk>/departments/<int:department_pk>/",
        views_reports.report,
        name="report",
    ),
    path("reports/<int:pk>/review/", views_reports.review, name="report_review"),
    path("evidence/<int:pk>/", views_reports.evidence_file, name="evidence"),
]

# 交办/签收 (views_handover), 延期申请/职责异议 (views_requests), 催办 (views_chases).
from . import views_chases, views_requests  # noqa: E402  (appended: this file is shared)
from . import views_handover as handover  # noqa: E402

urlpatterns += [
    path("plans/<int:pk>/handovers/", handover.handovers, name="handovers"),
    path("plans/<int:pk>/handovers/issue/", handover.issue_handovers, name="handover_issue"),
    path("plans/<int:pk>/handovers/chase/", handover.chase_handovers, name="handover_chase"),
    path("handovers/<int:pk>/", handover.handover, name="handover"),
    path("handovers/<int:pk>/acknowledge/", handover.acknowledge, name="handover_acknowledge"),
    path("handovers/<int:pk>/docx/", handover.handover_docx, name="handover_docx"),
    path("plans/<int:pk>/requests/", views_requests.requests, name="requests"),
    path(
        "plans/<int:pk>/tasks/<int:task_pk>/requests/new/",
        views_requests.request_new,
        name="request_new",
    ),
    path("requests/<int:pk>/", views_requests.request_detail, name="request"),
    path("requests/<int:pk>/decide/", views_requests.decide_request, name="request_decide"),
    path("plans/<int:pk>/chases/", views_chases.chases, name="chases"),
    path(
        "plans/<int:pk>/tasks/<int:task_pk>/chases/", views_chases.task_chases, name="task_chases"
    ),
    path("chases/<int:pk>/", views_chases.chase, name="chase"),
    path("chases/<int:pk>/answer/", views_chases.answer_chase, name="chase_answer"),
]

# 督查 and 整改 (views_inspections).
from . import views_inspections  # noqa: E402  (appended: this file is shared)

urlpatterns += [
    path("plans/<int:pk>/inspections/", views_inspections.inspections, name="inspections"),
    path("inspections/<int:pk>/", views_inspections.inspection, name="inspection"),
    path("findings/<int:pk>/rectify/", views_inspections.rectify, name="finding_rectify"),
    path("findings/<int:pk>/decide/", views_inspections.decide, name="finding_decide"),
]

# 部门评分 (views_scores).
from . import views_scores  # noqa: E402  (appended: this file is shared)

urlpatterns += [path("plans/<int:pk>/scores/", views_scores.scores, name="scores")]

# 督导报告: preview, drafts, publishing (views_publish).
from . import views_publish  # noqa: E402  (appended: this file is shared)

urlpatterns += [
    path(
        "plans/<int:pk>/supervision-reports/",
        views_publish.supervision_reports,
        name="supervision_reports",
    ),
    path(
        "plans/<int:pk>/supervision-reports/<str:period>/<str:fmt>/",
        views_publish.draft_file,
        name="supervision_report_file",
    ),
    path(
        "plans/<int:pk>/supervision-reports/publish/",
        views_publish.publish,
        name="supervision_report_publish",
    ),
]

# 领导驾驶舱 (views_leader).
from . import views_leader  # noqa: E402  (appended: this file is shared)

urlpatterns += [path("plans/<int:pk>/overview/", views_leader.overview, name="overview")]

# 会议与批示: meetings, 会议交办 and 领导批示 (views_meetings).
from . import views_meetings  # noqa: E402  (appended: this file is shared)

urlpatterns += [
    path("plans/<int:pk>/meetings/", views_meetings.meetings, name="meetings"),
    path("plans/<int:pk>/meetings/record/", views_meetings.record_meeting, name="meeting_record"),
    path("plans/<int:pk>/tracked-items/", views_meetings.track_item, name="tracked_item_add"),
    path("meetings/<int:pk>/", views_meetings.meeting, name="meeting"),
]
