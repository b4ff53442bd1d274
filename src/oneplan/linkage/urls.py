from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("", views.index, name="index"),
    path("checks/", views.checks_report, name="report"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
    path("plans/<int:pk>/review/", views.review, name="review"),
    path("plans/<int:pk>/checks/", views.plan_checks, name="plan_checks"),
    path("plans/<int:pk>/checks/panel/", views.plan_checks_panel, name="plan_checks_panel"),
    path("plans/<int:pk>/coverage/", views.plan_coverage, name="plan_coverage"),
    path("plans/<int:pk>/remap/", views.remap_queue, name="remap"),
    path("links/<int:pk>/remap/", views.remap_decide, name="remap_decide"),
    path("elements/<int:pk>/suggestions/", views.element_panel, name="element_panel"),
    path("elements/<int:pk>/contributors/", views.contributors, name="contributors"),
    path("elements/<int:pk>/accept/<int:target>/", views.accept, name="accept"),
    path("elements/<int:pk>/reject/<int:target>/", views.reject, name="reject"),
]
