"""An independent reference host for aio's differential test: runs an operator module under Wasmtime (the runtime
the cluster uses, through its Python bindings) with host imports written from the WIT alone, and prints what the
module did: each call's result, the logs and the metrics. aio's jco host runs the same case; the test compares.

Usage: python3 wasmtime_host.py <case.json>   (the case's format is in test/wasm/reference-host.ts)
"""
import base64
import json
import sys

from wasmtime import Config, Engine, Store, WasiConfig, WasmtimeError
from wasmtime.component import Component, Linker, Record, ResourceAny, ResourceHost, ResourceType, Variant

PACKAGE = "wasm-graph:processor"
VERSION = "1.1.0"
BUFFER = ResourceType.host(1)


def iface(name):
    return f"{PACKAGE}/{name}@{VERSION}"


def record(**fields):
    out = Record()
    for key, value in fields.items():
        setattr(out, key.replace("_", "-"), value)
    return out


def field(rec, name):
    return getattr(rec, name)


class Host:
    """The host services, recorded: logs in call order, counters summed by name and labels, histograms listed."""

    def __init__(self):
        self.buffers = {}
        self.next_rep = 1
        self.logs = []
        self.counters = {}
        self.histograms = {}
        self.state = {}

    def lend(self, data: bytes):
        rep = self.next_rep
        self.next_rep += 1
        self.buffers[rep] = data
        return ResourceHost.own(rep, 1)

    def link(self, linker):
        with linker.root() as root:
            with root.add_instance(iface("hybrid-logical-clock")):
                pass
            with root.add_instance(iface("types")) as types:
                types.add_resource("buffer", BUFFER, lambda store, rep: self.buffers.pop(rep, None))
                types.add_func("[method]buffer.read", lambda store, this: self.buffers[this.to_host(store).rep])
            with root.add_instance(iface("logger")) as logger:
                logger.add_func("log", self.log)
            with root.add_instance(iface("metrics")) as metrics:
                metrics.add_func("add-to-counter", self.add_to_counter)
                metrics.add_func("record-to-histogram", self.record_to_histogram)
            with root.add_instance(iface("state-store-types")):
                pass
            with root.add_instance(iface("state-store")) as state:
                state.add_func("get", self.state_get)
                state.add_func("set", self.state_set)
                state.add_func("del", self.state_del)
                state.add_func("vdel", self.state_vdel)
            with root.add_instance(iface("schema-types")):
                pass
            with root.add_instance(iface("schema-registry")) as schemas:
                schemas.add_func("get", lambda store, id, version, timeout: Variant("not-found"))

    def log(self, store, level, context, message):
        self.logs.append({"level": level, "context": context, "message": message})

    @staticmethod
    def labels_key(labels):
        return json.dumps(sorted([field(l, "key"), field(l, "value")] for l in (labels or [])))

    def add_to_counter(self, store, name, value, labels):
        key = (name, self.labels_key(labels))
        self.counters[key] = self.counters.get(key, 0) + value
        return None

    def record_to_histogram(self, store, name, value, labels):
        self.histograms.setdefault((name, self.labels_key(labels)), []).append(value)
        return None

    def state_get(self, store, key, timeout):
        return record(response=self.state.get(bytes(key)), version=None)

    def state_set(self, store, key, value, timeout, fencing, options):
        self.state[bytes(key)] = bytes(value)
        return record(response=True, version=None)

    def state_del(self, store, key, fencing, timeout):
        return record(response=1 if self.state.pop(bytes(key), None) is not None else 0, version=None)

    def state_vdel(self, store, key, value, fencing, timeout):
        if self.state.get(bytes(key)) != bytes(value):
            return record(response=-1, version=None)
        del self.state[bytes(key)]
        return record(response=1, version=None)

    def report(self):
        return {
            "logs": self.logs,
            "counters": sorted([name, json.loads(labels), total] for (name, labels), total in self.counters.items()),
            "histograms": sorted(
                [name, json.loads(labels), len(values), sum(values), min(values), max(values)] for (name, labels), values in self.histograms.items()
            ),
        }


# --- items: the case's JSON form <-> WIT values ------------------------------------------------------------------
# wasmtime-py passes a variant whose cases have distinct Python types (buffer-or-bytes: a resource or bytes;
# buffer-or-string; option; a result whose ok and error differ) as the bare payload, others as Variant(tag, payload).

def hlc_in(ts):
    return record(timestamp=record(secs=ts["secs"], nanos=ts["nanos"]), counter=ts["counter"], node_id=ts["nodeId"])


def hlc_out(value):
    spec = field(value, "timestamp")
    return {"secs": field(spec, "secs"), "nanos": field(spec, "nanos"), "counter": field(value, "counter"), "nodeId": field(value, "node-id")}


def item_in(host, item):
    """As aio's host lends them: payload, topic and property strings as host buffers."""
    ts = item["timestamp"]
    if item["kind"] == "bytes":
        return Variant("buffer-or-bytes", host.lend(base64.b64decode(item["bytes"])))
    text = lambda s: host.lend(s.encode("utf-8"))
    message = record(
        timestamp=record(timestamp=record(secs=ts["secs"], nanos=ts["nanos"]), counter=ts["counter"], node_id=text(ts["nodeId"])),
        topic=host.lend(base64.b64decode(item["topic"])),
        content_type=None if item.get("contentType") is None else text(item["contentType"]),
        payload=host.lend(base64.b64decode(item["payload"])),
        properties=record(user_properties=[(text(k), text(v)) for k, v in item.get("userProperties", [])]),
        schema=None,
    )
    return Variant("message", message)


def read_bytes(store, host, value):
    """A buffer-or-bytes (or buffer-or-string) the module returned, as bytes: a returned buffer is one the host lent."""
    if isinstance(value, ResourceAny):
        return host.buffers[value.to_host(store).rep]
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)


def item_out(store, host, value):
    if value.tag == "buffer-or-bytes":
        return {"kind": "bytes", "bytes": base64.b64encode(read_bytes(store, host, value.payload)).decode()}
    if value.tag != "message":
        return {"kind": value.tag}
    m = value.payload
    ts = field(m, "timestamp")
    spec = field(ts, "timestamp")
    text = lambda v: read_bytes(store, host, v).decode("utf-8")
    content_type = field(m, "content-type")
    return {
        "kind": "message",
        "timestamp": {"secs": field(spec, "secs"), "nanos": field(spec, "nanos"), "counter": field(ts, "counter"), "nodeId": text(field(ts, "node-id"))},
        "topic": base64.b64encode(read_bytes(store, host, field(m, "topic"))).decode(),
        "contentType": None if content_type is None else text(content_type),
        "payload": base64.b64encode(read_bytes(store, host, field(m, "payload"))).decode(),
        "userProperties": [[text(k), text(v)] for k, v in field(field(m, "properties"), "user-properties")],
    }


# --- running a case --------------------------------------------------------------------------------------------

class Operator:
    def __init__(self, engine, component, host, interface, properties):
        self.engine, self.component, self.host, self.interface, self.properties = engine, component, host, interface, properties
        self.start()

    def start(self):
        self.store = Store(self.engine)
        self.store.set_wasi(WasiConfig())
        try:
            instance = self.linker(False).instantiate(self.store, self.component)
        except WasmtimeError:
            # An import neither WASI nor the WIT provides (e.g. wasi:nn): a stub that traps if called, as aio loads such
            # modules. Only then: the stubs are exact-version and would shadow WASI's semver match (0.2.0 → 0.2.x).
            instance = self.linker(True).instantiate(self.store, self.component)
        exported = instance.get_export_index(self.store, iface(self.interface))
        self.funcs = {name: instance.get_func(self.store, instance.get_export_index(self.store, name, exported)) for name in ("init", "process")}
        configuration = record(properties=[(k, v) for k, v in self.properties], module_schemas=[])
        self.accepted = self.call("init", configuration)

    def linker(self, stub_unknown):
        linker = Linker(self.engine)
        linker.add_wasip2()
        self.host.link(linker)
        if stub_unknown:
            linker.define_unknown_imports_as_traps(self.component)
        return linker

    def call(self, name, *args):
        func = self.funcs[name]
        result = func(self.store, *args)
        func.post_return(self.store)
        return result

    def process(self, args):
        if self.funcs is None:
            self.start()
        host, store = self.host, self.store
        kind = self.interface
        if kind in ("map", "filter"):
            wit_args = [item_in(host, args[0])]
        elif kind == "branch":
            wit_args = [hlc_in(args[0]), item_in(host, args[1])]
        elif kind == "accumulate":
            wit_args = [item_in(host, args[0]), [item_in(host, i) for i in args[1]]]
        else:
            wit_args = [item_in(host, args[0]), hlc_in(args[1])]
        try:
            result = self.call("process", *wit_args)
        except Exception as trap:  # a trap: the instance is done; a fresh one (initialised again) serves the next call
            self.funcs = None
            return {"trap": f"{type(trap).__name__}: {trap}"}
        # result<T, error>: tagged when T is a record too (delay's clock), else the bare ok value or the error record.
        if isinstance(result, Variant) and result.tag in ("ok", "err"):
            if result.tag == "err":
                return {"err": field(result.payload, "message")}
            value = result.payload
        elif isinstance(result, Record):
            return {"err": field(result, "message")}
        else:
            value = result
        if kind in ("map", "accumulate"):
            return {"ok": item_out(store, host, value)}
        if kind == "delay":
            return {"ok": hlc_out(value)}
        return {"ok": value}


def main():
    case = json.load(open(sys.argv[1]))
    config = Config()
    config.cache = True  # Wasmtime's own compilation cache: a 12 MB SpiderMonkey module compiles once, not per run
    engine = Engine(config)
    component = Component.from_file(engine, case["component"])
    results = []
    for run in case["runs"]:
        host = Host()
        operator = Operator(engine, component, host, run["interface"], run.get("properties", []))
        calls = [operator.process(args) for args in run["calls"]] if operator.accepted else []
        results.append({"init": operator.accepted, "calls": calls, **host.report()})
    json.dump({"runtime": "wasmtime", "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
