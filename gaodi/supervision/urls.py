from django.urls import path

from . import views, views_board

app_name = "supervision"
urlpatterns = [
    path("plans/<int:pk>/schedules/", views.schedules, name="schedules"),
    path("plans/<int:pk>/lights/", views_board.lights, name="lights"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
]
