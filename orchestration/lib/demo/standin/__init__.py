"""A local stand-in for Kolada v3 and SCB PxWebApi v2, serving a demo world, with injectable faults."""
