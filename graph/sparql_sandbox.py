"""The second wall: run queries in a process that cannot open a network connection.

:func:`deny_network` installs a seccomp filter (Linux, x86-64 or AArch64) on the calling process
and every process it starts: ``socket()``, ``connect()`` and ``io_uring_setup()`` fail with
``EPERM``, so no engine — Oxigraph's Rust HTTP client, rdflib's ``urllib`` or a library we do not
know about — can reach any host, whatever a query says. Sockets made before the filter (the pipe
to the parent) keep working. The filter cannot be removed.

:func:`limit_memory` caps the address space (``RLIMIT_AS``) so that one query cannot take the
machine's memory: an allocation beyond the cap fails and the worker dies (and is replaced).

:func:`call_isolated` runs one function in a forked child that has both, and hands back its
result: the command line runs every query this way.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import platform
import resource
import signal
import struct
from collections.abc import Callable
from typing import Any

from ldnkg.errors import LdnkgError, QueryError

__all__ = ["SandboxError", "call_isolated", "deny_network", "limit_memory"]

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_EPERM = 0x7FFF0000, 0x00050000 | 1
# BPF opcodes: load word absolute, jump-if-equal, jump-if-greater-or-equal, return
_LD, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
#: arch → (AUDIT_ARCH value, syscall numbers of socket, connect, io_uring_setup)
_ARCHES = {
    "x86_64": (0xC000003E, (41, 42, 425)),
    "aarch64": (0xC00000B7, (198, 203, 425)),
}


class SandboxError(LdnkgError):
    """The network could not be closed for query workers on this system."""


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def deny_network() -> None:
    """Make ``socket()``/``connect()``/``io_uring_setup()`` fail in this process, for good.

    Raises
    ------
    SandboxError
        Not Linux on x86-64/AArch64, or the kernel refused the filter.
    """
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCHES:
        raise SandboxError(f"cannot close the network for queries on {platform.system()} {machine}")
    arch, numbers = _ARCHES[machine]
    program = [_insn(_LD, 0, 0, 4), _insn(_JEQ, 1, 0, arch), _insn(_RET, 0, 0, _RET_EPERM),
               _insn(_LD, 0, 0, 0)]
    if machine == "x86_64":  # x32 system calls (bit 30) could bypass the numbers below
        program += [_insn(_JGE, 0, 1, 0x40000000), _insn(_RET, 0, 0, _RET_EPERM)]
    for number in numbers:
        program += [_insn(_JEQ, 0, 1, number), _insn(_RET, 0, 0, _RET_EPERM)]
    program.append(_insn(_RET, 0, 0, _RET_ALLOW))
    code = ctypes.create_string_buffer(b"".join(program))
    fprog = _Filter(len(program), ctypes.addressof(code))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
            libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise SandboxError(f"the kernel refused the seccomp filter: {os.strerror(ctypes.get_errno())}")


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space at ``max_bytes`` (None: no cap)."""
    if max_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def call_isolated(fn: Callable[..., Any], *args: Any, max_bytes: int | None = None) -> Any:
    """``fn(*args)`` in a forked child without network (and with ``max_bytes`` of memory).

    The child's exception (an :class:`LdnkgError`) is raised again here; a child killed by a
    signal (a crash, or the memory cap) becomes a :class:`QueryError` naming it.

    >>> call_isolated(sum, [1, 2, 3])
    6
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        try:
            deny_network()
            limit_memory(max_bytes)
            payload = ("ok", fn(*args))
        except LdnkgError as err:
            payload = ("error", (_error_kind(err), str(err)))
        except MemoryError:
            payload = ("error", ("query", "the query needed more memory than the limit"))
        except BaseException as err:
            payload = ("error", ("query", f"the query failed: {type(err).__name__}: {err}"))
        try:
            data = pickle.dumps(payload)
        except Exception as err:
            data = pickle.dumps(("error", ("query", f"the query failed: {err}")))
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as inp:
        data = inp.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        if os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            raise QueryError(f"the query engine crashed ({name}); the query was not answered")
        raise QueryError("the query engine stopped without an answer")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise _error_class(value[0])(value[1])
    return value


def _error_kind(err: LdnkgError) -> str:
    from ldnkg.graph.sparql_guard import RefusedQueryError

    if isinstance(err, RefusedQueryError):
        return "refused"
    return "query" if isinstance(err, QueryError) else "ldnkg"


def _error_class(kind: str) -> type[LdnkgError]:
    from ldnkg.graph.sparql_guard import RefusedQueryError

    return {"refused": RefusedQueryError, "query": QueryError}.get(kind, LdnkgError)
