from django.contrib import admin

from . import services
from .models import KeyDeadline, Meeting, Question, SideEvent, StudyGroup, StudyPeriod


class SideEventInline(admin.TabularInline):
    model = SideEvent
    extra = 0


class KeyDeadlineInline(admin.TabularInline):
    model = KeyDeadline
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "study_group", "format", "first_day", "last_day", "state"]
    list_filter = ["study_group", "format", "state"]
    inlines = [KeyDeadlineInline, SideEventInline]

    def save_model(self, request, obj, form, change):
        # Through the service, so that the computed deadlines follow the first day here too.
        services.save_meeting(obj)


admin.site.register(StudyGroup)
admin.site.register(StudyPeriod)
admin.site.register(Question)
