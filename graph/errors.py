"""The project's own exceptions; the CLI turns them into one-line messages.

Each carries the exit status the command line gives it (documented in the README):
1 a negative answer, 2 a usage error or an input that cannot be read or an output that
cannot be written, 3 a command that could not finish (a time limit, a busy folder, a full
disk, a server that failed)."""


class ZhituError(Exception):
    """Base class for errors a user can act on."""
    exit_code = 1


class UsageError(ZhituError):
    """An option or argument that cannot work as given."""
    exit_code = 2


class InputError(ZhituError):
    """An input file or line that cannot be read as an article."""
    exit_code = 2

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class GraphError(ZhituError):
    """A graph file or store that is missing or cannot be parsed."""
    exit_code = 2


class QueryError(ZhituError):
    """A SPARQL query that is malformed or not allowed."""
    exit_code = 2


class QueryLimit(ZhituError):
    """A query stopped by its time or memory limit."""
    exit_code = 3


class ValidationError(ZhituError):
    """A graph that does not conform to the SHACL shapes."""


class OutputError(ZhituError):
    """An output the tool may not or cannot write: a folder it does not own, a file it did
    not write, a path that is not writable."""
    exit_code = 2


class Busy(ZhituError):
    """Another kg command is writing the same folder."""
    exit_code = 3


class Unfinished(ZhituError):
    """Work that could not finish: a full disk, a server that failed or did not answer."""
    exit_code = 3
