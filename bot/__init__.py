"""Bilingual know-your-rights FAQ bot for immigrant families in Connecticut.

Where a question goes: an adapter (bot/telegram/ or bot/console.py) hands the text to
bot/assistant.py, which asks bot/matching/ for the entry and bot/replies.py for the reply.
Where an answer comes from: content/<lang>/*.yaml, loaded and checked by bot/loading/.
"""
