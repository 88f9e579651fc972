"""The Crisis Table game: the pure engine (`games.crisis`) and its Django adapters around it."""
