"""The project's own exceptions; the CLI turns them into one-line messages."""


class ZhituError(Exception):
    """Base class for errors a user can act on."""


class InputError(ZhituError):
    """An input file or line that cannot be read as an article."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class GraphError(ZhituError):
    """A graph file or store that is missing or cannot be parsed."""


class QueryError(ZhituError):
    """A SPARQL query that is malformed or not allowed."""


class ValidationError(ZhituError):
    """A graph that does not conform to the SHACL shapes."""
