"""Matching a message to an FAQ entry: normalize -> score -> decide. Knows nothing of Telegram."""

from bot.matching.matcher import Decision, Matcher, MatchResult, MatchSettings

__all__ = ["Decision", "MatchResult", "MatchSettings", "Matcher"]
