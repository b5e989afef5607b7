from django.urls import path

from . import views, views_rule_sets

app_name = "specialties"

urlpatterns = [
    path("plans/<int:pk>/warnings/", views.warnings, name="warnings"),
    path("plans/<int:pk>/warnings/recompute/", views.recompute, name="recompute"),
    path("plans/<int:pk>/rule-sets/", views_rule_sets.rule_sets, name="rule_sets"),
    path("plans/<int:pk>/rule-sets/new/", views_rule_sets.rule_set_new, name="rule_set_new"),
]
