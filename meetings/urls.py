from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("sg<int:number>/", views.study_group, name="study_group"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
]
