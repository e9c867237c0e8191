app_name = "preferences"
urlpatterns = []
