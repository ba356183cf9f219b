#!/usr/bin/env python3
"""A host in another language: loads libilinks through ctypes (the C ABI,
bindings/ilinks.h), shows a record to a viewer, records consent, and prints
what a screen reader would get (the text mirror).

    ilinks_host.py --library build/lib/libilinks.so --record joe.json \\
                   [--profile 1a] [--organisation ODS] [--tab summary] [--no-consent]
    ilinks_host.py --library build/lib/libilinks.so --service URL --patient NHS_NUMBER \\
                   --token-command CMD [--tab summary] [--no-consent]

The second form holds no record: the viewer asks the sharing service at URL
for the View made for the user of the context token that CMD prints (run by
the shell for each request: the service accepts each token once), and
records consent there.

Exit status: 0 printed; 1 the component refused or failed (the reason on
stderr); 2 bad usage or the library cannot be loaded.
"""
import argparse
import ctypes
import json
import sys

import subprocess

AUDIT_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p)
TOKEN_FN = ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t)


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
        "ilinks_viewer_set_patient": ([viewer_p, ctypes.c_char_p], ctypes.c_int),
        "ilinks_viewer_set_service": ([viewer_p, ctypes.c_char_p, TOKEN_FN, ctypes.c_void_p, ctypes.c_long], ctypes.c_int),
        "ilinks_viewer_load_from_service": ([viewer_p], ctypes.c_int),
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

    def use_service(self, url, token_command):
        """Shows what the sharing service at `url` sends; tokens from `token_command`."""
        def provide(_user_data, _reason, buffer, size):
            done = subprocess.run(token_command, shell=True, capture_output=True)
            token = done.stdout.strip()
            if done.returncode != 0 or not token:
                return 0
            if len(token) + 1 > size:
                return len(token) + 1
            ctypes.memmove(buffer, token + b"\0", len(token) + 1)
            return len(token)
        self._token = TOKEN_FN(provide)  # kept while C holds it
        self.check(self.lib.ilinks_viewer_set_service(self.handle, url.encode(), self._token, None, 10000))

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
    parser.add_argument("--record")
    parser.add_argument("--service")
    parser.add_argument("--patient")
    parser.add_argument("--token-command")
    parser.add_argument("--profile", default="1a")
    parser.add_argument("--organisation", default="ZZPY01")
    parser.add_argument("--tab", default="summary")
    parser.add_argument("--no-consent", action="store_true")
    args = parser.parse_args()
    if bool(args.record) == bool(args.service) or (args.service and not (args.patient and args.token_command)):
        parser.error("give --record, or --service with --patient and --token-command")
    try:
        lib = load(args.library)
    except OSError as e:
        print(f"ilinks_host.py: {args.library}: cannot be loaded: {e}", file=sys.stderr)
        return 2
    record = b""
    try:
        if args.record:
            with open(args.record, "rb") as f:
                record = f.read()
    except OSError as e:
        print(f"ilinks_host.py: {args.record}: {e.strerror}", file=sys.stderr)
        return 2
    viewer = Viewer(lib)
    try:
        if args.service:
            viewer.check(lib.ilinks_viewer_set_patient(viewer.handle, args.patient.encode()))
            viewer.use_service(args.service, args.token_command)
            viewer.check(lib.ilinks_viewer_load_from_service(viewer.handle))
        else:
            viewer.check(lib.ilinks_viewer_set_context(viewer.handle, b"py.host", b"Python Host", args.profile.encode(),
                                                       args.organisation.encode(), b"Python sample host", 1))
            viewer.check(lib.ilinks_viewer_load_fhir(viewer.handle, record, len(record), args.record.encode()))
        if not args.no_consent:
            viewer.check(lib.ilinks_viewer_record_consent(viewer.handle, b"verbal", b"patient"))
        viewer.check(lib.ilinks_viewer_set_tab(viewer.handle, args.tab.encode()))
        if args.service:  # the service audited every request; the viewer keeps no trail of its own
            print(f"# ilinks {lib.ilinks_version().decode()}: shown from the sharing service at {args.service}")
        else:
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
