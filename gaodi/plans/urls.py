from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/tasks/", views.tasks, name="tasks"),
    path("<int:pk>/tasks/<int:task_pk>/", views.task, name="task"),
    path("<int:pk>/departments/", views.departments, name="departments"),
    path("<int:pk>/departments/<int:department_pk>/", views.department, name="department"),
    path("<int:pk>/leading-group/", views.leading_group, name="leading_group"),
    path("<int:pk>/tables/", views.tables, name="tables"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/deadlines/<int:deadline_pk>/fix/", views.fix_deadline, name="fix_deadline"),
    path("<int:pk>/rows/<int:row_pk>/link/", views.link_row, name="link_row"),
    path("<int:pk>/findings/<int:finding_pk>/choose/", views.choose_value, name="choose_value"),
    path("<int:pk>/targets/<int:target_pk>/fix/", views.fix_target, name="fix_target"),
    path(
        "<int:pk>/tasks/<int:task_pk>/departments/", views.set_departments, name="set_departments"
    ),
]
