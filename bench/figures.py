"""What every benchmark prints beside its figures: the machine and its load, and percentiles."""

import os
import platform


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at `fraction` (0.95: the p95) of the sorted samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load_average() -> str:
    """The load average over 1, 5 and 15 minutes, e.g. "1.9, 4.1, 5.0"."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def machine_line() -> str:
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load_average()}, "
        f"Python {platform.python_version()}"
    )
