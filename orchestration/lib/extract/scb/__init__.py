"""SCB PxWebApi v2, table TAB4199 (räkenskapssammandraget): requests, JSON-stat2, loading into raw."""
