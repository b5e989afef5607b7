from django.urls import path

from . import views, views_roster

app_name = "teachers"

urlpatterns = [
    path("plans/<int:pk>/", views.overview, name="overview"),
    path("plans/<int:pk>/record/", views.record_teacher_view, name="record"),
    path("plans/<int:pk>/teachers/<int:teacher_pk>/", views.edit_teacher_view, name="edit"),
    path("plans/<int:pk>/honours/", views.record_honour_view, name="honour"),
    path("plans/<int:pk>/quota/", views.set_quota_view, name="quota"),
    path("plans/<int:pk>/feed/", views.feed_view, name="feed"),
    path("plans/<int:pk>/rules/", views.set_rules_view, name="rules"),
    path("plans/<int:pk>/upload/", views_roster.roster_upload, name="upload"),
    path("plans/<int:pk>/template/", views_roster.roster_template, name="template"),
]
