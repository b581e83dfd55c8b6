"""The operator's logic as plain Python, so it can be unit-tested without the WebAssembly bindings."""
import json


def is_high(payload: bytes, threshold: float) -> bool:
    """True for the arm "True"."""
    try:
        body = json.loads(payload)
    except ValueError:
        return False
    value = body.get("value") if isinstance(body, dict) else None
    return isinstance(value, (int, float)) and value > threshold
