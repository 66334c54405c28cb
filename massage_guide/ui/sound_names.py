"""The bundled ambience sounds' names, translated: one list for every page that names a sound."""

from __future__ import annotations

from typing import Final

from massage_guide.core.i18n import N_, _

# The bundled ambiences (audio/ambience/): their names translated; a sound of one's own shows its file name.
SOUND_NAMES: Final = {
    "brown-noise": N_("Brown noise"),
    "forest-stream": N_("Forest stream"),
    "ocean-waves": N_("Ocean waves"),
    "soft-rain": N_("Soft rain"),
    "warm-drone": N_("Warm drone"),
}


def sound_name(sound_id: str) -> str:
    """A sound id as a person reads it: ``forest-stream`` -> ``Forest stream`` (``Waldbach`` in German)."""
    if sound_id in SOUND_NAMES:
        return _(SOUND_NAMES[sound_id])
    return sound_id.replace("-", " ").replace("_", " ").capitalize()
