"""The Telegram adapter: a thin layer that turns Telegram updates into calls to the core.

- config.py    settings from the environment, checked once at start-up
- privacy.py   hashed user keys and logging that never carries message text or user ids
- render.py    a core `Reply` as Telegram HTML plus an inline keyboard, within Telegram's limits
- context.py   what every handler can reach: the Assistant (swappable by /reload), the state
- handlers.py  one callback per command, message kind, button press and inline query
- admin.py     the replies of the admin commands (/reload, /stats)
- commands.py  the command menu, per language
- app.py       builds the Application and runs it (long polling, or a webhook)
- sending.py   every Bot API call: Telegram's limits per chat, retries on 5xx/timeouts, one log line
- backlog.py   at most 30 updates held, confirmed to Telegram only once handled (kill -9 loses none)
- fairness.py  the flood gate: a sender over their limit gets a few answers and one "please wait"
- updates.py   polling drops what it already holds and steps over an update PTB cannot read
- webhook.py   the webhook server: secret check, unreadable bodies skipped, graceful stop
"""
