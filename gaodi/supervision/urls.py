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
