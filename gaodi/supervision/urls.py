from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("plans/<int:pk>/schedules/", views.schedules, name="schedules"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
]
