from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("budget/", views.budget_index, name="budget_index"),
    path("budget/<str:code>/", views.budget_view, name="budget_view"),
    path("budget/<str:code>/duplicates/", views.duplicate_list, name="duplicates"),
    path("plans/<int:pk>/", views.plan_monitoring, name="plan"),
    path("plans/<int:pk>/quality/", views.plan_quality, name="quality"),
    path("plans/<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("plans/<int:pk>/weights/", views.weights, name="weights"),
    path("plans/<int:pk>/report/", views.lao_report, name="report"),
    path("plans/<int:pk>/report.pdf", views.lao_report_pdf, name="report_pdf"),
    path("plans/<int:pk>/report.xlsx", views.lao_report_xlsx, name="report_xlsx"),
    path("plans/<int:pk>/budget/", views.plan_budget, name="plan_budget"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/approve/", views.round_approve, name="round_approve"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("elements/<int:pk>/panel/", views.element_panel, name="element_panel"),
    path("elements/<int:pk>/budget/", views.project_budget, name="project_budget"),
]
