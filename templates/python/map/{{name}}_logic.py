"""The operator's logic as plain Python, so it can be unit-tested without the WebAssembly bindings."""
import json


def scale_payload(payload: bytes, scale: float):
    """The payload with its "value" scaled, or None when it is not a JSON object with a numeric "value"."""
    try:
        body = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("value"), (int, float)):
        return None
    body["value"] = body["value"] * scale
    body["scaledBy"] = scale
    return json.dumps(body).encode("utf-8")
