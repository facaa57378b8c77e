"""Loading plugins and calling their hooks, so that one broken plugin harms nobody else.

Plugins are found through the ``kenshu`` entry-point group. Each is loaded on its own: one
that fails to import, implements a hook kenshu does not know (a misspelt name), declares a
plugin-API range this kenshu does not satisfy, or claims another plugin's programme code is
recorded as a :class:`PluginProblem` and left out; the rest work. Hooks are called through
:meth:`PluginRegistry.call`, which calls a programme's own plugin only for its programmes,
catches exceptions and checks result types per plugin.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterable
from importlib import metadata
from types import GeneratorType
from typing import Any

import attrs
import pluggy
from attrs import define, field, frozen
from kenshu import hookspecs
from kenshu.dataset import CohortData
from kenshu.fields import Field
from kenshu.model import Finding, Programme
from kenshu.settings import Setting

#: The version of the hook API described in :mod:`kenshu.hookspecs`.
PLUGIN_API_VERSION = "1.0"
ENTRY_POINT_GROUP = "kenshu"
#: A hook bound to one programme: call it with the hook's arguments, get (records, findings).
HookCall = Callable[..., tuple[list[Any], list[Finding]]]
DISABLE_ENV = "KENSHU_DISABLE_PLUGINS"


@frozen
class PluginProblem:
    """Something wrong with a plugin, reported by name; never fatal unless ``--strict-plugins``."""

    plugin: str
    message: str
    hook: str | None = None
    code: str = "plugin.error"

    def line(self) -> str:
        where = f" in {self.hook}" if self.hook else ""
        return f"kenshu: plugin {self.plugin!r}{where}: {self.message}"


@define
class PluginInfo:
    """What ``kenshu plugins`` shows about one plugin."""

    name: str
    distribution: str | None = None
    version: str | None = None
    module: str | None = None
    status: str = "loaded"  # loaded, failed, incompatible, disabled
    reason: str | None = None
    programmes: list[str] = field(factory=list)
    hooks: list[str] = field(factory=list)
    api: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "module": self.module,
            "status": self.status,
            "reason": self.reason,
            "programmes": self.programmes,
            "hooks": self.hooks,
            "plugin_api": self.api,
        }


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def api_compatible(spec: str, version: str = PLUGIN_API_VERSION) -> bool:
    """Does ``version`` satisfy a plugin's declared range like ``">=1.0,<2"``?"""
    current = _version_tuple(version)
    for clause in (c.strip() for c in spec.split(",") if c.strip()):
        for op in (">=", "<=", "==", "<", ">"):
            if clause.startswith(op):
                other = _version_tuple(clause[len(op) :].strip())
                width = max(len(current), len(other))
                a = current + (0,) * (width - len(current))
                b = other + (0,) * (width - len(other))
                ok = {
                    ">=": a >= b,
                    "<=": a <= b,
                    "==": a == b,
                    "<": a < b,
                    ">": a > b,
                }[op]
                if not ok:
                    return False
                break
        else:
            return False
    return True


class PluginRegistry:
    """The installed plugins, their programmes, and a safe way to call their hooks."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self.programmes: dict[str, Programme] = {}
        self.problems: list[PluginProblem] = []
        self._owned: dict[str, set[str]] = {}  # plugin name -> programme codes
        self._schemas: dict[str, Any] = {}

    # -- loading ----------------------------------------------------------------

    @classmethod
    def discover(
        cls,
        disabled: Iterable[str] = (),
        entry_points: Iterable[metadata.EntryPoint] | None = None,
        builtin: bool = True,
    ) -> PluginRegistry:
        """Load the built-in checks and every plugin of the ``kenshu`` entry-point group.

        ``disabled`` names plugins to leave out for this run (also ``$KENSHU_DISABLE_PLUGINS``,
        comma-separated).
        """
        registry = cls()
        if builtin:
            from kenshu import builtin as builtin_plugin

            registry.add(builtin_plugin, "core", distribution="kenshu")
        off = {name.strip() for name in disabled if name.strip()}
        off |= {n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()}
        points = (
            entry_points
            if entry_points is not None
            else metadata.entry_points(group=ENTRY_POINT_GROUP)
        )
        for point in sorted(points, key=lambda p: p.name):
            dist = getattr(point, "dist", None)
            info = PluginInfo(
                name=point.name,
                distribution=dist.name if dist else None,
                version=dist.version if dist else None,
                module=point.value,
            )
            if point.name in off:
                info.status, info.reason = "disabled", "disabled for this run"
                registry.plugins[point.name] = info
                continue
            try:
                plugin = point.load()
            except Exception as exc:  # a broken plugin must not stop the others
                registry._fail(info, f"failed to import: {type(exc).__name__}: {exc}")
                continue
            registry.add(plugin, point.name, info=info)
        return registry

    def add(
        self,
        plugin: Any,
        name: str,
        distribution: str | None = None,
        info: PluginInfo | None = None,
    ) -> PluginInfo | None:
        """Register one plugin object (a module or any object with hook functions)."""
        info = info or PluginInfo(
            name=name, distribution=distribution, module=getattr(plugin, "__name__", None)
        )
        if name in self.plugins and self.plugins[name].status == "loaded":
            self._fail(info, f"a plugin named {name!r} is already loaded")
            return None
        declared = getattr(plugin, "KENSHU_PLUGIN_API", None)
        info.api = declared
        if declared is not None and not api_compatible(str(declared)):
            info.status = "incompatible"
            info.reason = (
                f"supports plugin API {declared}, this kenshu provides {PLUGIN_API_VERSION}; "
                "upgrade the plugin or kenshu"
            )
            self.plugins[name] = info
            self.problems.append(PluginProblem(name, info.reason, code="plugin.incompatible"))
            return info
        unknown = [
            attr
            for attr in dir(plugin)
            if attr.startswith("kenshu_")
            and callable(getattr(plugin, attr, None))
            and attr not in hookspecs.hook_names()
        ]
        if unknown:
            self._fail(info, f"implements unknown hook(s) {', '.join(unknown)} (misspelt?)")
            return info
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # pluggy validates signatures against the specs
            self._fail(info, f"does not fit the hook specifications: {exc}")
            return info
        info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ())
        self.plugins[name] = info
        self._register_programmes(name, plugin, info)
        return info

    def _register_programmes(self, name: str, plugin: Any, info: PluginInfo) -> None:
        impl = getattr(plugin, "kenshu_register_programmes", None)
        if impl is None:
            return
        owned = self._owned.setdefault(name, set())

        def register(programme: Programme) -> None:
            if not isinstance(programme, Programme):
                raise TypeError(f"register() takes a Programme, got {type(programme).__name__}")
            holder = self.programmes.get(programme.code)
            if holder is not None:
                # the plugin named after the code keeps it, whichever loaded first (plugins
                # load by name: "aaa" must not take "lgotp" from the lgotp plugin)
                rightful = name == programme.code and holder.plugin != programme.code
                loser, winner = (holder.plugin, name) if rightful else (name, holder.plugin)
                self.problems.append(
                    PluginProblem(
                        str(loser),
                        f"claims programme {programme.code!r}, which plugin {winner!r} "
                        f"{'provides' if rightful else 'already provides'}; ignored",
                        hook="kenshu_register_programmes",
                        code="plugin.programme-conflict",
                    )
                )
                if not rightful:
                    return
                self._owned.get(str(loser), set()).discard(programme.code)
                lost = self.plugins.get(str(loser))
                if lost is not None and programme.code in lost.programmes:
                    lost.programmes.remove(programme.code)
            self.programmes[programme.code] = attrs.evolve(programme, plugin=name)
            owned.add(programme.code)
            info.programmes.append(programme.code)

        try:
            impl(register=register)
        except Exception as exc:
            self.problems.append(
                PluginProblem(
                    name, f"raised {type(exc).__name__}: {exc}", hook="kenshu_register_programmes"
                )
            )

    def _fail(self, info: PluginInfo, reason: str) -> None:
        info.status, info.reason = "failed", reason
        self.plugins[info.name] = info
        self.problems.append(PluginProblem(info.name, reason, code="plugin.failed"))

    # -- calling ----------------------------------------------------------------

    def owns(self, plugin: str, programme: Programme | None) -> bool:
        """Should ``plugin``'s hooks answer for ``programme``?"""
        owned = self._owned.get(plugin)
        if owned is None:
            return True  # cross-cutting plugin (or core): every programme
        # a programme plugin answers for its own programmes only (none, if all its
        # claims were refused)
        return programme is not None and programme.code in owned

    def versions_for(self, programme: Programme | None) -> dict[str, str]:
        """The versions of the loaded plugins that answer for ``programme`` (its own plugin
        and the cross-cutting ones, core left out): what a workbook records it was made with."""
        return {
            name: info.version or ""
            for name, info in sorted(self.plugins.items())
            if info.status == "loaded" and name != "core" and self.owns(name, programme)
        }

    def call(
        self,
        hook: str,
        programme: Programme | None,
        **kwargs: Any,
    ) -> tuple[list[Any], list[Finding]]:
        """Call ``hook`` on every plugin that answers for ``programme``.

        Returns the records (of the hook's result types) and the findings, each stamped with
        the plugin's name as ``source``. Exceptions and wrong types become problems and
        warning findings; the other plugins' results are kept.
        """
        return self.bind(hook, programme)(**kwargs)

    def bind(self, hook: str, programme: Programme | None) -> HookCall:
        """:meth:`call` for one hook and programme, with the answering plugins looked up
        once: validation calls ``kenshu_check_participant`` this way for every participant."""
        expected = hookspecs.RESULT_TYPES.get(hook, ())
        # pluggy lists implementations in registration order (it calls them in reverse);
        # kenshu calls them in registration order: core first, then plugins by name.
        impls = [
            (impl.plugin_name, impl.function, _arguments_getter(tuple(impl.argnames)))
            for impl in getattr(self.pm.hook, hook).get_hookimpls()
            if self.owns(impl.plugin_name, programme)
        ]

        def run(**kwargs: Any) -> tuple[list[Any], list[Finding]]:
            results: list[Any] = []
            findings: list[Finding] = []
            kwargs["programme"] = programme  # kwargs is this call's own dict
            # findings built with data.finding(...) while a plugin answers carry its name
            # from the start, so that only the rare Finding(...) made by hand (source "core")
            # has to be copied with the plugin's name below
            data = kwargs.get("data")
            answering = data if isinstance(data, CohortData) else None
            previous = answering.answering if answering is not None else "core"
            for name, function, arguments_of in impls:
                try:
                    if answering is not None:
                        answering.answering = name
                    try:
                        answer = function(*arguments_of(kwargs))
                        if answer is None:
                            continue
                        # a generator runs here, so its findings are built while it answers
                        items = answer if type(answer) is list else list(_as_iterable(answer))
                    finally:
                        if answering is not None:
                            answering.answering = previous
                except Exception as exc:
                    findings.append(self._hook_failed(name, hook, exc))
                    continue
                for item in items:
                    if isinstance(item, Finding):
                        if item.source == "core" and name != "core":
                            item = attrs.evolve(item, source=name)
                        findings.append(item)
                    elif type(item).__name__ in expected:
                        results.append(_stamp(item, name))
                    else:
                        findings.append(
                            self._hook_failed(
                                name,
                                hook,
                                TypeError(
                                    f"returned a {type(item).__name__}, expected "
                                    f"{' or '.join((*expected, 'Finding'))}"
                                ),
                            )
                        )
            return results, findings

        return run

    def _hook_failed(self, plugin: str, hook: str, exc: Exception) -> Finding:
        message = f"{type(exc).__name__}: {exc}"
        self.problems.append(PluginProblem(plugin, message, hook=hook, code="plugin.hook-failed"))
        return Finding(
            code="core.plugin-failed",
            severity="warning",
            message=f"plugin {plugin!r} failed in {hook} ({message}); its results are missing",
            message_ja=f"プラグイン「{plugin}」が{hook}の処理中にエラーになりました({message})。"
            "このプラグインの結果は含まれていません",
            source=plugin,
        )

    # -- what programmes look like ----------------------------------------------

    def programme(self, code: str | None) -> Programme | None:
        return self.programmes.get(code) if code else None

    def schema(self, programme: Programme | None):
        """The fields of every sheet and the settings for ``programme`` (cached)."""
        from kenshu.schema import build_schema

        key = programme.code if programme else ""
        if key not in self._schemas:
            self._schemas[key] = build_schema(self, programme)
        return self._schemas[key]

    def contributed_fields(self, programme: Programme | None) -> tuple[list[Field], list[Finding]]:
        return self.call("kenshu_fields", programme)

    def contributed_settings(
        self, programme: Programme | None
    ) -> tuple[list[Setting], list[Finding]]:
        return self.call("kenshu_settings", programme)

    def register_commands(self, cli: Any) -> None:
        """Let plugins add CLI commands; a failure is reported, not fatal."""
        for impl in self.pm.hook.kenshu_register_commands.get_hookimpls():
            try:
                impl.function(cli=cli)
            except Exception as exc:
                self.problems.append(
                    PluginProblem(
                        impl.plugin_name,
                        f"{type(exc).__name__}: {exc}",
                        hook="kenshu_register_commands",
                    )
                )


def _arguments_getter(argnames: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The arguments a hook implementation takes, in its order, from the call's keywords
    (a missing one raises KeyError, reported as the plugin's failure)."""
    if len(argnames) >= 2:
        return operator.itemgetter(*argnames)  # a tuple, in C
    return lambda arguments: tuple(arguments[name] for name in argnames)


_ITERABLES = frozenset({list, tuple, GeneratorType, type(iter(())), type(iter([]))})


def _as_iterable(answer: Any) -> Iterable[Any]:
    if type(answer) in _ITERABLES:  # what hooks return, answered before the slower checks
        return answer
    if isinstance(answer, str | bytes) or not isinstance(answer, Iterable):
        return [answer]
    return answer


def _stamp(item: Any, plugin: str) -> Any:
    """Mark contributed fields and settings with their plugin's name."""
    if isinstance(item, Field | Setting) and plugin != "core":
        name = "source" if isinstance(item, Field) else "owner"
        if getattr(item, name) in ("core", None):
            return attrs.evolve(item, **{name: plugin})
    return item
