"""The kernel every briefing notebook runs in, and the papermill engine that starts it.

* :class:`InterpreterKernelManager`: the ``python3`` kernel is always the
  running interpreter (``sys.executable``), whatever kernelspec a user-level
  ``python3`` folder holds (papermill #251, #638), and on POSIX it talks over
  ZMQ's ``ipc`` transport in a private folder, so parallel kernels cannot
  race for TCP ports (papermill #511, #239).
* :class:`BriefingEngine` (registered with papermill as ``"salto"``):
  papermill's nbclient engine whose client starts the kernel with
  :data:`KERNEL_ENV`, times the start (``metadata.salto_briefing`` of the
  executed notebook) and retries a start that fails with ``RuntimeError``,
  ``TimeoutError`` or ZMQ's "Address already in use" once.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager

import zmq
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import write_ipynb
from papermill.log import logger as _papermill_logger
from papermill.utils import merge_kwargs, remove_args

from salto_analysis.briefing.records import ENV_FLAG

__all__ = ["ENGINE", "KERNEL_ENV", "InterpreterKernelManager", "BriefingEngine", "is_transient"]

#: Name under which :class:`BriefingEngine` is registered with papermill.
ENGINE = "salto"
#: Set in every kernel: ``record()`` emits its payload; set and dict order is stable.
KERNEL_ENV = {ENV_FLAG: "1", "PYTHONHASHSEED": "0"}

class InterpreterKernelManager(AsyncKernelManager):
    """A kernel manager whose ``python3`` kernel is always the running interpreter.

    A stray user-level ``python3`` kernelspec (``~/.local/share/jupyter/kernels``
    comes first on Jupyter's search path) could otherwise run the notebooks in
    another environment; here the kernel command is ``sys.executable -m ipykernel_launcher``.

    On POSIX systems the kernel talks over ZMQ's ``ipc`` transport, with its Unix
    sockets in a private temporary folder of its own, instead of TCP ports on
    localhost: parallel kernels cannot race for a port, and the notebook's
    output is not exposed on a network socket. (jupyter_client's default ipc
    path is ``kernel-ipc-N`` in the working directory, which two kernels
    running in ``notebooks/`` would share.)
    """

    def __init__(self, **kwargs):
        if os.name == "posix":
            kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)
        self._ipc_folder = None

    async def _async_pre_start_kernel(self, **kwargs):
        if self.transport == "ipc" and self._ipc_folder is None:
            self._ipc_folder = tempfile.mkdtemp(prefix="salto-kernel-")
            self.ip = os.path.join(self._ipc_folder, "ipc")
        return await super()._async_pre_start_kernel(**kwargs)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._ipc_folder and not restart:
            shutil.rmtree(self._ipc_folder, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python 3 (salto-briefing)",
                language="python",
                metadata={"debugger": False},
            )
        return self._kernel_spec


def is_transient(exc: BaseException) -> bool:
    """Kernel start errors worth one retry: start-up races and timeouts."""
    if isinstance(exc, zmq.ZMQError):
        return exc.errno == zmq.EADDRINUSE or "Address already in use" in str(exc)
    return isinstance(exc, (RuntimeError, TimeoutError))


def _settle_pending_tasks() -> None:
    """Cancel what an interrupt left running on this thread's event loop, and collect it.

    ``KeyboardInterrupt`` stops nbclient's ``run_until_complete`` in the middle of
    a cell; the cell's task stays pending and, when the kernel is shut down, would
    end with ``DeadKernelError`` that nobody retrieves (asyncio prints it at exit).
    """
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if loop.is_running():
        return
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


class _Client(PapermillNotebookClient):
    """Papermill's client with a timed, retried kernel start and the briefing environment."""

    kernel_start_seconds = 0.0
    kernel_start_attempts = 0
    #: File receiving the kernel process's own stdout and stderr (None: the terminal).
    kernel_log: str | None = None
    #: More environment variables for the kernel (the runner's input cache folder).
    kernel_env: dict | None = None

    def _discard_kernel(self) -> None:
        if self.km is not None:
            try:
                self._cleanup_kernel()
            except Exception:  # noqa: BLE001 - the kernel is being thrown away after a failed start
                pass
        self.km = None
        self.kc = None

    @contextmanager
    def setup_kernel(self, **kwargs):
        kwargs.setdefault("env", {**os.environ, **KERNEL_ENV, **(self.kernel_env or {})})
        with ExitStack() as stack:
            if self.kernel_log:
                log = stack.enter_context(open(self.kernel_log, "ab"))  # noqa: SIM115 - closed by the stack
                kwargs.update(stdout=log, stderr=log)
            with self._started_kernel(**kwargs):
                try:
                    yield
                except BaseException:
                    _settle_pending_tasks()  # before nbclient shuts the kernel down on the way out
                    raise

    @contextmanager
    def _started_kernel(self, **kwargs):
        start = time.perf_counter()
        for attempt in (1, 2):
            self.kernel_start_attempts = attempt
            try:
                if self.km is None:
                    self.km = self.create_kernel_manager()
                if not self.km.has_kernel:
                    self.start_new_kernel(**kwargs)
                if self.kc is None:
                    self.start_new_kernel_client()
                break
            except (RuntimeError, TimeoutError, zmq.ZMQError) as exc:
                self._discard_kernel()
                if attempt == 2 or not is_transient(exc):
                    raise
                self.log.warning("kernel start failed (%s); retrying once", exc)
            except BaseException:  # interrupted while starting: shut the new kernel down, remove its files
                self._discard_kernel()
                raise
        self.kernel_start_seconds = time.perf_counter() - start
        with super().setup_kernel(**kwargs):  # the kernel runs already: this only arranges the cleanup
            yield


class BriefingEngine(NBClientEngine):
    """Papermill's nbclient engine with :class:`_Client` and :class:`InterpreterKernelManager`.

    The runner calls papermill with ``request_save_on_cell_execute=False``: papermill
    then writes the executed notebook once at the end (or, on a cell error, with its
    error banner) instead of rewriting the whole growing notebook before and after
    every cell, which costs about a second of CPU per 40-cell page. ``failure_path``
    (an engine option) names where the partly executed notebook is written when
    execution stops otherwise (a cell timeout, a dead kernel), so it can be kept.
    ``kernel_log`` (another) names a file for the kernel process's own output,
    such as ipykernel's log lines, which would otherwise interleave with the
    runner's progress on the terminal; cell output is not affected.
    ``kernel_env`` (a third) adds environment variables for the kernel, such as
    ``SALTO_INPUT_CACHE`` (:mod:`salto_analysis.io.cache`).

    When execution stops with ``KeyboardInterrupt`` (the runner interrupted),
    nbclient's ``setup_kernel`` shuts the kernel down on the way out and the
    partly executed notebook is written to ``failure_path`` as for any other stop.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 failure_path=None, kernel_log=None, kernel_env=None, **kwargs):
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            kernel_manager_class=InterpreterKernelManager,
            log=_papermill_logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client = _Client(nb_man, **final_kwargs)
        client.kernel_log = kernel_log
        client.kernel_env = dict(kernel_env or {})
        try:
            return client.execute()
        except BaseException:
            if failure_path:
                nb_man.nb.metadata["salto_briefing"] = _start_metadata(client)
                write_ipynb(nb_man.nb, failure_path)
            raise
        finally:
            nb_man.nb.metadata["salto_briefing"] = _start_metadata(client)


def _start_metadata(client: _Client) -> dict:
    return {"kernel_start_seconds": round(client.kernel_start_seconds, 3),
            "kernel_start_attempts": client.kernel_start_attempts}


papermill_engines.register(ENGINE, BriefingEngine)
