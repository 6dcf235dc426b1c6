"""What every benchmark says: its figures beside their targets, and that it exits 0 whatever they are."""

EXIT_NOTE = "Riktmärket avslutas alltid med kod 0: det mäter och visar målen bredvid, det underkänner inget."


def verdict(ok: bool) -> str:
    """The word printed beside a figure and its target."""
    return "OK" if ok else "ÖVER MÅLET"
