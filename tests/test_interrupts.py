"""held_signals: a stop that arrives inside the block is delivered after it, not halfway."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from jobtrail.interrupts import held_signals


def test_ctrl_c_inside_the_block_is_raised_after_it() -> None:
    finished = []
    with pytest.raises(KeyboardInterrupt):
        with held_signals():
            os.kill(os.getpid(), signal.SIGINT)
            finished.append("first write")
            finished.append("second write")
    assert finished == ["first write", "second write"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_handler_that_was_there_gets_the_signal_after_the_block() -> None:
    received: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        with held_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            assert received == []
        assert received == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_outside_the_main_thread_it_changes_nothing() -> None:
    seen = []

    def work() -> None:
        with held_signals():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]
