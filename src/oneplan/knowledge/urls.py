from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("guidance/", views.guidance_list, name="guidance_list"),
    path("guidance/<int:pk>/", views.guidance_detail, name="guidance"),
    path("guidance/<int:pk>/new-version/", views.guidance_new_version, name="guidance_new_version"),
    path("examples/<int:pk>/", views.examples_panel, name="examples"),
    path("kpis/", views.kpi_library, name="kpi_library"),
    path("kpis/pick/", views.kpi_pick, name="kpi_pick"),
    path("kpis/<int:pk>/", views.kpi_detail, name="kpi"),
    path("kpis/<int:pk>/fill/", views.kpi_fill, name="kpi_fill"),
    path("elements/<int:pk>/history/", views.element_history, name="history"),
    path("decisions/", views.decision_search, name="decisions"),
    path("workshops/", views.workshop_list, name="workshops"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("people/<str:username>/", views.person, name="person"),
]
