"""The operator's logic as plain Python, so it can be unit-tested without the WebAssembly bindings."""
import json


def keep(payload: bytes, max_value: float) -> bool:
    """True when the message should be kept."""
    try:
        body = json.loads(payload)
    except ValueError:
        return True
    value = body.get("value") if isinstance(body, dict) else None
    return not isinstance(value, (int, float)) or value <= max_value
