from django.urls import path

from . import views

app_name = "achievements"

urlpatterns = [
    path("plans/<int:pk>/", views.overview, name="overview"),
    path("plans/<int:pk>/record/", views.record_achievement_view, name="record"),
    path("plans/<int:pk>/evaluations/", views.record_evaluation_view, name="evaluation"),
    path("plans/<int:pk>/competitions/", views.record_award_view, name="award"),
    path("plans/<int:pk>/recompute/", views.recompute, name="recompute"),
    path("plans/<int:pk>/weights/", views.record_weights_view, name="weights"),
]
