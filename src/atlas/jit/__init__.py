"""The JIT: hot functions and hot loops compiled to native code through llvmlite.

`JitEngine` (jit/engine.py) is what a VM owns; it imports llvmlite only when it first
compiles something.
"""
