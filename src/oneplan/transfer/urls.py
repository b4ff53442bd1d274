from django.urls import path

from . import views

app_name = "transfer"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("plans/<int:pk>/export/<str:fmt>/", views.export, name="export"),
    path("upload/", views.upload, name="upload"),
    path("plans/<int:pk>/upload/", views.upload, name="upload_into"),
    path("preview/<str:token>/", views.preview_page, name="preview"),
    path("preview/<str:token>/result/", views.preview_result, name="preview_result"),
    path("preview/<str:token>/confirm/", views.confirm, name="confirm"),
]
