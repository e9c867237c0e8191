app_name = "matches"
urlpatterns = []
