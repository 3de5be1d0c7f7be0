"""The virtual machine: runtime values, frames and the dispatch loop (tier 0)."""
