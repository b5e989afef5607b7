from django.urls import path

from . import views, views_collect, views_dashboard
from .views_excel import csv_template, template, upload

app_name = "indicators"
urlpatterns = [
    path("plans/<int:pk>/", views.registry, name="registry"),
    path("sets/<int:pk>/", views.data_set, name="data_set"),
    path("<int:pk>/", views.indicator, name="indicator"),
    path(
        "plans/<int:pk>/collect/<int:unit_pk>/<str:period>/",
        views_collect.collect,
        name="collect",
    ),
    path("plans/<int:pk>/approvals/", views_collect.approvals, name="approvals"),
    path("sets/<int:pk>/<int:unit_pk>/<str:period>/", views_collect.form, name="form"),
    path(
        "sets/<int:pk>/<int:unit_pk>/<str:period>/check/",
        views_collect.check_form,
        name="check",
    ),
    path("sets/<int:pk>/<int:unit_pk>/<str:period>/step/", views_collect.step, name="step"),
    path("sets/<int:pk>/<int:unit_pk>/<str:period>/template.xlsx", template, name="template"),
    path("sets/<int:pk>/<int:unit_pk>/<str:period>/template.csv", csv_template, name="csv"),
    path("sets/<int:pk>/<int:unit_pk>/<str:period>/upload/", upload, name="upload"),
    path("plans/<int:pk>/dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("plans/<int:pk>/table/", views_dashboard.data_table, name="table"),
]
