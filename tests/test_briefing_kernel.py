"""salto_analysis.briefing.kernel: which interpreter runs the notebooks, and start-up retries."""

from __future__ import annotations

import errno
import os
import sys

import zmq

from salto_analysis.briefing.kernel import ENGINE, KERNEL_ENV, InterpreterKernelManager, is_transient


def test_the_python3_kernel_is_this_interpreter_whatever_the_kernelspec_says(monkeypatch, tmp_path):
    # a user-level python3 kernelspec pointing elsewhere comes first on Jupyter's path
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text('{"argv": ["/bin/false", "{connection_file}"], "display_name": "x", '
                                      '"language": "python"}')
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    km = InterpreterKernelManager(kernel_name="python3")
    assert km.kernel_spec.argv[:3] == [sys.executable, "-m", "ipykernel_launcher"]
    assert km.format_kernel_cmd()[0] == sys.executable


def test_ipc_transport_on_posix():
    km = InterpreterKernelManager(kernel_name="python3")
    assert km.transport == ("ipc" if os.name == "posix" else "tcp")


def test_which_start_errors_are_retried():
    assert is_transient(zmq.ZMQError(errno.EADDRINUSE))
    assert not is_transient(zmq.ZMQError(errno.EACCES))
    assert is_transient(RuntimeError("Kernel died before replying to kernel_info"))
    assert is_transient(TimeoutError("Kernel didn't respond in 60 seconds"))
    assert not is_transient(ValueError("x"))


def test_kernel_environment_and_engine_name():
    assert KERNEL_ENV == {"SALTO_BRIEFING": "1", "PYTHONHASHSEED": "0"}
    from papermill.engines import papermill_engines

    assert papermill_engines.get_engine(ENGINE).__name__ == "BriefingEngine"
