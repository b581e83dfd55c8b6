"""The operator's logic as plain Python, so it can be unit-tested without the WebAssembly bindings."""


def window_end(secs: int, window_seconds: int) -> int:
    """The end of the tumbling window holding `secs`."""
    return (secs // window_seconds + 1) * window_seconds
