"""uppsikt: uppföljning av mellankommunal samverkan."""
