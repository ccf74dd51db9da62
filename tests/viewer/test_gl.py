"""Which OpenGL renderers draw on the CPU (then the window smooths edges differently)."""

from __future__ import annotations

import pytest

from viewer.gl import is_software_renderer


@pytest.mark.parametrize(
    "name",
    [
        "llvmpipe (LLVM 15.0.6, 256 bits)",
        "softpipe",
        "Mesa X11 swrast",
        "Google SwiftShader",
        "GDI Generic",
        "Microsoft Basic Render Driver",
        "lavapipe",
    ],
)
def test_cpu_renderers_are_recognised(name):
    assert is_software_renderer(name)


@pytest.mark.parametrize(
    "name",
    [
        "NVIDIA GeForce RTX 3060/PCIe/SSE2",
        "Mesa Intel(R) UHD Graphics 620 (KBL GT2)",
        "AMD Radeon Pro 5500M OpenGL Engine",
        "Apple M1",
        "",
    ],
)
def test_gpus_and_unknown_renderers_are_not(name):
    assert not is_software_renderer(name)
