"""The operator adjusts categories (target days, duty) in the admin; reports are worked on the desk pages."""
from django.contrib import admin

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "duty", "agency", "target_days", "active")
    list_editable = ("target_days", "active")
    list_filter = ("duty", "active")
