from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/elements/new/", views.element_add, name="element_add"),
    path("<int:pk>/elements/undo/", views.element_undo_delete, name="element_undo"),
    path("elements/<int:pk>/", views.element_detail, name="element"),
    path("elements/<int:pk>/edit/", views.element_edit, name="element_edit"),
    path("elements/<int:pk>/delete/", views.element_delete, name="element_delete"),
    path("elements/<int:pk>/move/<str:direction>/", views.element_move, name="element_move"),
    path("elements/<int:pk>/links/", views.link_add, name="link_add"),
    path("elements/<int:pk>/links-up/", views.element_links, name="element_links"),
    path("elements/<int:pk>/link-candidates/", views.link_candidates, name="link_candidates"),
    path("links/<int:pk>/remove/", views.link_remove, name="link_remove"),
]
