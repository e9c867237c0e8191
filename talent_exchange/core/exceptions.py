class ActionRefused(Exception):
    """A service refused an action; the message is written for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
