app_name = "nonprod"
urlpatterns = []
