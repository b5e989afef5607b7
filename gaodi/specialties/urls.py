from django.urls import path

from . import views

app_name = "specialties"

urlpatterns = [
    path("plans/<int:pk>/warnings/", views.warnings, name="warnings"),
    path("plans/<int:pk>/warnings/recompute/", views.recompute, name="recompute"),
]
