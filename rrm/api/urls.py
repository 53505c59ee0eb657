"""Routes of the kernel's endpoints, as each view declares its own; config/api_v1.py includes them under
/api/v1/."""

from rrm.api import views
from rrm.api.bases import routes_of

urlpatterns = routes_of(views)
