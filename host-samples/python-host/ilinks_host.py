#!/usr/bin/env python3
"""A host in another language: loads libilinks through ctypes (the C ABI,
bindings/ilinks.h), shows a record to a viewer, records consent, and prints
what a screen reader would get (the text mirror).

    ilinks_host.py --library build/lib/libilinks.so --record joe.json \\
                   [--profile 1a] [--organisation ODS] [--tab summary] [--no-consent]

Exit status: 0 printed; 1 the component refused or failed (the reason on
stderr); 2 bad usage or the library cannot be loaded.
"""
import argparse
import ctypes
import json
import sys

AUDIT_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p)


def load(path):
    lib = ctypes.CDLL(path)
    viewer_p = ctypes.c_void_p
    signatures = {
        "ilinks_version": ([], ctypes.c_char_p),
        "ilinks_viewer_create": ([ctypes.POINTER(viewer_p)], ctypes.c_int),
        "ilinks_viewer_destroy": ([viewer_p], None),
        "ilinks_viewer_last_error": ([viewer_p], ctypes.c_char_p),
        "ilinks_viewer_set_audit_callback": ([viewer_p, AUDIT_FN, ctypes.c_void_p], ctypes.c_int),
        "ilinks_viewer_set_context": ([viewer_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                       ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
        "ilinks_viewer_load_fhir": ([viewer_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p], ctypes.c_int),
        "ilinks_viewer_record_consent": ([viewer_p, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
        "ilinks_viewer_set_tab": ([viewer_p, ctypes.c_char_p], ctypes.c_int),
        "ilinks_viewer_mirror": ([viewer_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
                                  ctypes.POINTER(ctypes.c_size_t)], ctypes.c_int),
    }
    for name, (args, result) in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = result
    return lib


class Viewer:
    """One viewer; every failed call raises with the component's own words."""

    def __init__(self, lib):
        self.lib = lib
        self.handle = ctypes.c_void_p()
        if lib.ilinks_viewer_create(ctypes.byref(self.handle)) != 0:
            raise RuntimeError("the viewer could not be created")
        self.audit_events = []
        # Kept on the object: ctypes must not free the callback while C holds it.
        self._audit = AUDIT_FN(self._keep_audit_event)
        self.check(lib.ilinks_viewer_set_audit_callback(self.handle, self._audit, None))

    def _keep_audit_event(self, _user_data, event_json):
        self.audit_events.append(json.loads(event_json.decode("utf-8")))
        return 1

    def check(self, rc):
        if rc != 0:
            raise RuntimeError(self.lib.ilinks_viewer_last_error(self.handle).decode("utf-8"))

    def mirror_text(self):
        needed = ctypes.c_size_t(0)
        self.lib.ilinks_viewer_mirror(self.handle, 0, None, 0, ctypes.byref(needed))
        buffer = ctypes.create_string_buffer(needed.value)
        self.check(self.lib.ilinks_viewer_mirror(self.handle, 0, buffer, needed.value, ctypes.byref(needed)))
        return buffer.value.decode("utf-8")

    def close(self):
        self.lib.ilinks_viewer_destroy(self.handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--profile", default="1a")
    parser.add_argument("--organisation", default="ZZPY01")
    parser.add_argument("--tab", default="summary")
    parser.add_argument("--no-consent", action="store_true")
    args = parser.parse_args()
    try:
        lib = load(args.library)
    except OSError as e:
        print(f"ilinks_host.py: {args.library}: cannot be loaded: {e}", file=sys.stderr)
        return 2
    try:
        with open(args.record, "rb") as f:
            record = f.read()
    except OSError as e:
        print(f"ilinks_host.py: {args.record}: {e.strerror}", file=sys.stderr)
        return 2
    viewer = Viewer(lib)
    try:
        viewer.check(lib.ilinks_viewer_set_context(viewer.handle, b"py.host", b"Python Host", args.profile.encode(),
                                                   args.organisation.encode(), b"Python sample host", 1))
        viewer.check(lib.ilinks_viewer_load_fhir(viewer.handle, record, len(record), args.record.encode()))
        if not args.no_consent:
            viewer.check(lib.ilinks_viewer_record_consent(viewer.handle, b"verbal", b"patient"))
        viewer.check(lib.ilinks_viewer_set_tab(viewer.handle, args.tab.encode()))
        print(f"# ilinks {lib.ilinks_version().decode()}: {len(viewer.audit_events)} audit events "
              f"({', '.join(e['action'] for e in viewer.audit_events)})")
        print(viewer.mirror_text(), end="")
        return 0
    except RuntimeError as e:
        print(f"ilinks_host.py: {e}", file=sys.stderr)
        return 1
    finally:
        viewer.close()


if __name__ == "__main__":
    sys.exit(main())
