"""The delivery status ladder every channel shares (`delivery.py`)."""
