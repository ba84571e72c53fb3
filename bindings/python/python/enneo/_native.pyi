"""Stubs of the native module. Not public API: use enneo.Client."""

from typing import Any, Awaitable, Callable, Iterable, List, Optional, Union

from typing_extensions import Self, final

__all__ = ["NativeClient", "LoopBridge", "DEFAULT_BASE_URL", "__version__", "loads"]

DEFAULT_BASE_URL: str
__version__: str

@final
class NativeClient:
    def __new__(
        cls,
        token: Optional[str],
        base_url: Optional[str],
        timeout: float,
        connect_timeout: float,
        max_retries: int,
        user_agent: str,
    ) -> Self: ...
    @property
    def base_url(self) -> str: ...
    @property
    def has_token(self) -> bool: ...
    def get(self, lookup: int, id: Union[int, str], timeout: Optional[float] = None) -> bytes: ...
    def get_many(
        self,
        lookup: int,
        ids: Iterable[Union[int, str]],
        concurrency: int,
        timeout: Optional[float] = None,
        progress: Optional[Callable[[int, int], None]] = None,
    ) -> List[Union[bytes, BaseException]]: ...
    def get_async(self, lookup: int, id: Union[int, str], timeout: Optional[float] = None) -> Awaitable[bytes]: ...
    def get_many_async(
        self,
        lookup: int,
        ids: Iterable[Union[int, str]],
        concurrency: int,
        timeout: Optional[float] = None,
        progress: Optional[Callable[[int, int], None]] = None,
    ) -> Awaitable[List[Union[bytes, BaseException]]]: ...
    def _debug_panic(self) -> None: ...
    def _debug_panic_async(self) -> Awaitable[None]: ...

@final
class LoopBridge:
    def __new__(cls) -> Self: ...
    @property
    def fd(self) -> Optional[int]: ...
    def wake_with(self, callback: Callable[[], object]) -> None: ...
    def drain(self) -> None: ...

def loads(body: bytes) -> Any: ...
