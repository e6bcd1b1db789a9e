"""Fundstelle: full-text search for German news that returns the best passages, ranked and highlighted.

    import fundstelle
    with fundstelle.Indexer("index") as ix:
        ix.index_paths(["corpus"])
    for hit in fundstelle.Searcher("index").search("Entwicklungszentrum München"):
        print(hit.title, hit.text)
"""
from typing import Any, Iterator, Literal, Optional, Sequence, Tuple, Type
from types import TracebackType

__version__: str

class Error(Exception):
    """Every error of the library."""

class QueryError(Error):
    """A malformed query."""
    position: int  # the code point where the query goes wrong

class InputError(Error):
    """An input that cannot be read as an article."""
    source: str
    line: int

class IndexAccessError(Error):
    """The index cannot be read or written (I/O, a shard that does not answer)."""

class IndexNotFoundError(IndexAccessError):
    """There is no index at the path."""

class IndexLockedError(IndexAccessError):
    """Another writer holds the index; try again later."""

class ForeignIndexError(IndexAccessError):
    """The index was built by another version (index it again with rebuild=True)."""

class CorruptIndexError(IndexAccessError):
    """The index is damaged."""

class Hit:
    """One passage found: an article's paragraphs or one reader comment.

    title, url, author and section are cut to 2048 characters and "…" when longer, tags to the first 32, each
    cut to 256 (Searcher.article gives the article's own fields whole)."""
    rank: int  # 1-based, counting from the first result (offset included)
    score: float
    article: str  # the article's id
    title: str
    url: str
    published: str  # the article's date (ISO 8601), or ""
    author: str  # the article's, or a comment's own
    tags: list[str]
    comment_published: str
    kind: Literal["article", "comment"]
    ordinal: int  # the passage's number in its article, from 0
    comment: int  # for comments: which comment of the article, from 0
    section: str  # the heading the passage stands under, or ""
    text: str
    highlights: list[Tuple[int, int]]  # text[start:end] is a matched word
    span: Tuple[int, int]  # where the passage lies in the article's body (or its comment)
    explanation: Optional[dict[str, Any]]  # with search(..., explain=True): bm25, covered, proximity, terms, ...

class Results:
    """A page of passages and what the search did with the query."""
    hits: list[Hit]
    total_estimate: int
    suggestion: str  # "did you mean", or ""
    corrected: bool  # the hits are for the suggestion (nothing was found for the query)
    corrections: list[Tuple[str, str]]  # (as typed, corrected)
    expansions: list[dict[str, Any]]  # {"word", "synonyms", "kind"}
    ignored: list[str]
    unknown: list[str]
    warnings: list[str]
    facets: dict[str, list[Tuple[str, int]]]
    def __iter__(self) -> Iterator[Hit]: ...
    def __len__(self) -> int: ...
    def __getitem__(self, i: int) -> Hit: ...

class Searcher:
    """Searches an index. Safe to share between threads: searches run in parallel, without the GIL."""
    path: str
    def __init__(self, path: str, *, allow_partial: bool = False, timeout_ms: int = 10000) -> None: ...
    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        offset: int = 0,
        kind: Optional[Literal["article", "comment"]] = None,
        per_article: int = 2,
        exact: bool = False,
        synonyms: Literal["none", "domain", "all"] = "domain",
        sort: Literal["relevance", "newest", "oldest"] = "relevance",
        published_from: Optional[str] = None,
        published_to: Optional[str] = None,
        authors: Sequence[str] = (),
        tags: Sequence[str] = (),
        facets: Sequence[Literal["author", "tag", "month", "year"]] = (),
        facet_limit: int = 10,
        explain: bool = False,
        time_limit: float = 0.0,
    ) -> Results: ...
    def article(self, id: str) -> Optional[dict[str, Any]]: ...
    def suggest(self, typed: str, limit: int = 8) -> list[dict[str, Any]]: ...
    def stats(self) -> dict[str, Any]: ...

class Indexer:
    """Writes an index (one writer at a time). As a context manager it commits when the block ends and
    discards what was not committed when it raises."""
    def __init__(self, path: str, *, rebuild: bool = False, shards: int = 0) -> None: ...
    def add(self, article: dict[str, Any]) -> Literal["added", "replaced", "unchanged"]: ...
    def index_paths(self, paths: Sequence[str], *, prune: bool = False, follow_links: bool = False) -> dict[str, Any]:
        """Indexes files, folders and feed URLs as `fundstelle index` does, and commits; the report. Ctrl-C
        stops it after the article being written, with what was done committed (a first import keeps it beside
        the index for the next run, which goes on from there), and raises KeyboardInterrupt."""
    def remove(self, id: str) -> bool: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Indexer": ...
    def __exit__(
        self, type: Optional[Type[BaseException]], value: Optional[BaseException], tb: Optional[TracebackType]
    ) -> bool: ...
