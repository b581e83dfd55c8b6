"""The operator's logic as plain Python, so it can be unit-tested without the WebAssembly bindings."""
import json


def empty_stats() -> dict:
    return {"count": 0, "min": None, "max": None, "sum": 0, "average": None}


def fold(stats: dict, payload: bytes, field: str) -> None:
    """Folds one payload into the statistics; payloads without the numeric field are skipped."""
    try:
        body = json.loads(payload)
    except ValueError:
        return
    value = body.get(field) if isinstance(body, dict) else None
    if not isinstance(value, (int, float)):
        return
    stats["count"] += 1
    stats["min"] = value if stats["min"] is None else min(stats["min"], value)
    stats["max"] = value if stats["max"] is None else max(stats["max"], value)
    stats["sum"] += value
    stats["average"] = stats["sum"] / stats["count"]
