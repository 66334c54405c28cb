"""Massage Guide: a calm desktop guide for self-massage and relaxation routines."""

__version__ = "0.1.0"
