"""activation_lab: the helpers shared by every chapter of *Activation Functions, from First
Principles to PyTorch*. Each module owns one concern; see the module docstrings."""

__version__ = "0.1.0"
