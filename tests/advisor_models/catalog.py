"""Every model of the corpus, in a fixed order."""

from __future__ import annotations

from tests.advisor_models import (
    m_chat_system,
    m_complaints,
    m_device_state_log,
    m_forum_threads,
    m_game_scores,
    m_gaming_profile,
    m_music_downloads,
    m_online_shop,
    m_recurring_payments,
    m_relational,
    m_session_store,
    m_social_network,
    m_write_sharding,
)

MODELS = (
    m_device_state_log.MODEL,
    m_online_shop.MODEL,
    m_relational.MODEL,
    m_game_scores.MODEL,
    m_forum_threads.MODEL,
    m_social_network.MODEL,
    m_session_store.MODEL,
    m_chat_system.MODEL,
    m_write_sharding.MODEL,
    m_music_downloads.MODEL,
    m_gaming_profile.MODEL,
    m_complaints.MODEL,
    m_recurring_payments.MODEL,
)
