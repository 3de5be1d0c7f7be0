"""JIT configuration: the one place every default lives.

`JitConfig` is a dataclass whose fields carry their environment variable, command-line
flag and help text as metadata. Everything else is derived from it: the `atlas run`
flags and their `--help` text, environment parsing, `atlas jit config`, the stats
header and the tables in docs/jit.md (a test regenerates them and fails on drift).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def setting(
    default: Any, *, env: str, flag: str, help: str, flag_help: str | None = None,
    minimum: int | None = None,
) -> Any:  # fmt: skip
    """A JitConfig field with its environment variable, flag and help (`flag_help` when
    the flag says something else than the setting, as `--no-jit` does)."""
    metadata = {"env": env, "flag": flag, "help": help, "flag_help": flag_help or help, "minimum": minimum}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class JitConfig:
    enabled: bool = setting(
        True, env="ATLAS_JIT", flag="--no-jit",
        help="compile hot code to native code",
        flag_help="run everything in the bytecode VM (turns the JIT off)",
    )  # fmt: skip
    call_threshold: int = setting(
        1000, env="ATLAS_JIT_THRESHOLD", flag="--jit-threshold", minimum=0,
        help="calls after which a function is compiled (0: on its first call)",
    )  # fmt: skip
    loop_threshold: int = setting(
        1000, env="ATLAS_JIT_LOOP_THRESHOLD", flag="--jit-loop-threshold", minimum=0,
        help="back-edges after which a loop is compiled and entered (0: on its first back-edge)",
    )  # fmt: skip
    cache_limit_bytes: int = setting(
        4 * 1024 * 1024, env="ATLAS_JIT_CACHE_LIMIT", flag="--jit-cache-limit", minimum=0,
        help="machine-code bytes the code cache may hold before it evicts (least recently used)",
    )  # fmt: skip
    opt_level: int = setting(
        2, env="ATLAS_JIT_OPT_LEVEL", flag="--jit-opt-level", minimum=0,
        help="LLVM optimisation level for compiled code (0-3)",
    )  # fmt: skip

    @property
    def call_trigger(self) -> int:
        """The call count at which a function gets compiled."""
        return max(1, self.call_threshold)

    @property
    def loop_trigger(self) -> int:
        """The back-edge count at which a loop gets compiled."""
        return max(1, self.loop_threshold)


SETTINGS: tuple[dataclasses.Field, ...] = dataclasses.fields(JitConfig)
DEFAULTS = JitConfig()

SOURCE_DEFAULT, SOURCE_ENV, SOURCE_FLAG = "default", "env", "flag"


class ConfigError(ValueError):
    """A bad value in the environment or on the command line."""


def parse_value(f: dataclasses.Field, text: str, origin: str) -> Any:
    if f.type in (bool, "bool"):
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{origin}: expected a boolean (1/0, true/false), got {text!r}")
    try:
        value = int(text.strip().replace("_", ""))
    except ValueError:
        raise ConfigError(f"{origin}: expected an integer, got {text!r}") from None
    minimum = f.metadata["minimum"]
    if minimum is not None and value < minimum:
        raise ConfigError(f"{origin}: must be at least {minimum}, got {value}")
    if f.name == "opt_level" and value > 3:
        raise ConfigError(f"{origin}: must be between 0 and 3, got {value}")
    return value


@dataclass(frozen=True)
class ResolvedConfig:
    config: JitConfig
    sources: dict[str, str]  # setting name -> default | env | flag

    def describe(self) -> dict[str, dict[str, Any]]:
        """`{"<setting>": {"value", "default", "source"}}` as `atlas jit config --json` prints."""
        return {
            f.name: {
                "value": getattr(self.config, f.name),
                "default": f.default,
                "source": self.sources[f.name],
            }
            for f in SETTINGS
        }


def resolve(
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> ResolvedConfig:
    """Defaults, overridden by environment variables, overridden by flags.

    `flags` maps setting names to values already parsed by the command line (None or
    missing = not given)."""
    environ = os.environ if environ is None else environ
    flags = flags or {}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for f in SETTINGS:
        value, source = f.default, SOURCE_DEFAULT
        env_text = environ.get(f.metadata["env"])
        if env_text not in (None, ""):
            value, source = parse_value(f, env_text, f.metadata["env"]), SOURCE_ENV
        if flags.get(f.name) is not None:
            value, source = flags[f.name], SOURCE_FLAG
        values[f.name] = value
        sources[f.name] = source
    return ResolvedConfig(JitConfig(**values), sources)


def settings_table() -> str:
    """The Markdown table of settings used in docs/jit.md (checked by a test)."""
    rows = ["| setting | default | environment | flag | meaning |", "| --- | --- | --- | --- | --- |"]
    for f in SETTINGS:
        default = str(f.default).lower() if isinstance(f.default, bool) else f"{f.default:,}"
        meta = f.metadata
        rows.append(f"| `{f.name}` | {default} | `{meta['env']}` | `{meta['flag']}` | {meta['help']} |")
    return "\n".join(rows)
