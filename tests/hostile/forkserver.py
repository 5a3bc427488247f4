"""A process that has imported partnerbook and MkDocs once and forks a child for each command the
hostile tests run (hostile_tools.run), so each run pays for the command and not for starting
Python and importing everything again (about a second each).

The child is a process of its own, as `subprocess.run` would start: it sets the run's limits
(setrlimit) before anything of the command runs, changes to the run's folder, writes its output
to the two files it is given, runs the console script's entry point with `sys.argv` as the shell
would give it, and exits with its exit code (a Python traceback and exit code 1 for an exception
that escapes, as the interpreter does). A limit that kills it shows as the signal's negative number.

Protocol: one JSON request per line on stdin ({"args", "cwd", "out", "err", "memory", "cpu",
"timeout"}), one JSON line back ({"code"} or {"timeout": true}).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import traceback


def _child(request: dict) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
    resource.setrlimit(resource.RLIMIT_CPU, (request["cpu"], request["cpu"]))
    os.chdir(request["cwd"])
    for fd, path in ((1, request["out"]), (2, request["err"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    program, *rest = request["args"]
    sys.argv = [program, *rest]
    try:
        if os.path.basename(program) == "mkdocs":
            from mkdocs.__main__ import cli
            cli.main(rest, prog_name="mkdocs")
            return 0
        from partnerbook.cli import main
        return main(rest) or 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001  (what the interpreter prints before it exits 1)
        traceback.print_exc()
        return 1


def serve() -> None:
    import mkdocs.__main__  # noqa: F401  (imported once, here: what the children share)
    import partnerbook.cli  # noqa: F401

    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(request)
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code if 0 <= code < 256 else 1)
        deadline = time.monotonic() + request["timeout"]
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                reply = {"code": os.waitstatus_to_exitcode(status)}
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                reply = {"timeout": True}
                break
            time.sleep(0.005)
        sys.__stdout__.write(json.dumps(reply) + "\n")
        sys.__stdout__.flush()


if __name__ == "__main__":
    serve()
