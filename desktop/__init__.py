"""Maquette's desktop application (PySide6) and its command line.

Importing this package does not import Qt: ``desktop.cli`` only loads the GUI for the GUI command,
so ``maquette render`` and ``maquette info`` run headless.
"""
