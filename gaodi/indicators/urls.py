from django.urls import path

from . import views, views_collect

app_name = "indicators"
urlpatterns = [
    path("plans/<int:pk>/", views.registry, name="registry"),
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
]
