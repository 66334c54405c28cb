"""The JSON Schema of routine files (schema_version 1), for editors with a YAML language server."""

from __future__ import annotations

import json
from typing import Any

from massage_guide.core import model
from massage_guide.core.duration_pattern import duration_text_pattern
from massage_guide.core.loader import BREATH_PHASE_MAX_SECONDS, LANGUAGE_PATTERN
from massage_guide.core.model import ID_MAX_CHARS, ID_PATTERN
from massage_guide.core.sounds import SOUND_ID_PATTERN

SCHEMA_ID = "https://massage-guide.invalid/schema/routine-1.json"
# One source: every pattern and limit below is the loader's own (model, loader, sounds); the duration
# text pattern is generated from the step limits and the loader's rules, range included.
_DURATION = duration_text_pattern(model.STEP_MIN_SECONDS, model.STEP_MAX_SECONDS)
_SOUND_ID = SOUND_ID_PATTERN.pattern
# The loader refuses text that is only whitespace ("is empty; write something here").
_NOT_BLANK = r"\S"


def _text(max_length: int, description: str) -> dict[str, Any]:
    return {
        "description": description + " Plain text, or a mapping of language code to text with 'en' required.",
        "oneOf": [
            {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": _NOT_BLANK},
            {
                "type": "object",
                "required": ["en"],
                "propertyNames": {"pattern": LANGUAGE_PATTERN.pattern},
                "additionalProperties": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": max_length,
                    "pattern": _NOT_BLANK,
                },
            },
        ],
    }


def routine_schema() -> dict[str, Any]:
    """The schema as a dict; the loader is stricter (sound ids must exist, totals are checked)."""
    seconds = {"type": "number", "minimum": 0, "maximum": BREATH_PHASE_MAX_SECONDS}
    step = {
        "type": "object",
        "description": "One timed instruction.",
        "required": ["title", "instruction", "duration"],
        "additionalProperties": False,
        "properties": {
            "title": _text(model.TITLE_MAX_CHARS, "Short name of the step."),
            "instruction": _text(model.TEXT_MAX_CHARS, "Where the hands go, how, how firmly, what to feel."),
            "duration": {"$ref": "#/$defs/duration"},
            "technique": {"enum": list(model.TECHNIQUES), "description": "How the hands work."},
            "pressure": {"enum": list(model.PRESSURES)},
            "side": {"enum": list(model.SIDES)},
            "mirror": {"type": "boolean", "description": "Run the step once per side, the given side first."},
            "focus": {"enum": list(model.AREAS), "description": "The area highlighted on the body map."},
            "breathing": {
                "type": "object",
                "required": ["inhale", "exhale"],
                "additionalProperties": False,
                "properties": {
                    "inhale": {**seconds, "minimum": 1},
                    "hold": seconds,
                    "exhale": {**seconds, "minimum": 1},
                    "hold_after": seconds,
                },
            },
            "say": _text(model.TEXT_MAX_CHARS, "Spoken instead of the title and instruction."),
            "cue": {"type": "string", "pattern": _SOUND_ID, "description": "A sound id from audio/cues/."},
            "muscle": _text(model.TITLE_MAX_CHARS, "The muscle the step works, named on the detail page."),
        },
        # A mirrored step starts on one side: "both" cannot be mirrored.
        "if": {"required": ["mirror", "side"], "properties": {"mirror": {"const": True}}},
        "then": {"properties": {"side": {"enum": ["left", "right"]}}},
    }
    repeat = {
        "type": "object",
        "description": "Steps run several times in a row.",
        "required": ["repeat", "steps"],
        "additionalProperties": False,
        "properties": {
            "repeat": {"type": "integer", "minimum": model.REPEAT_MIN, "maximum": model.REPEAT_MAX},
            "steps": {"$ref": "#/$defs/steps"},
        },
    }
    sides = {
        "type": "object",
        "description": "Steps run in order on the first side, then all of them again on the other.",
        "required": ["sides", "steps"],
        "additionalProperties": False,
        "properties": {
            "sides": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "uniqueItems": True,
                "items": {"enum": list(model.BLOCK_SIDES)},
            },
            "steps": {"$ref": "#/$defs/steps"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Massage Guide routine",
        "description": "A self-massage routine, schema_version 1. See docs/routine-format.md.",
        "type": "object",
        "required": ["schema_version", "id", "title", "summary", "areas", "goals", "steps"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": 1},
            "id": {"type": "string", "pattern": ID_PATTERN.pattern, "maxLength": ID_MAX_CHARS},
            "title": _text(model.TITLE_MAX_CHARS, "The routine's name."),
            "summary": _text(model.TEXT_MAX_CHARS, "One or two sentences on what it is for."),
            "areas": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(model.AREAS)},
            },
            "goals": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(model.GOALS)},
            },
            "level": {"enum": list(model.LEVELS), "default": "beginner"},
            "equipment": {
                "oneOf": [
                    {"const": "none"},
                    {"type": "null", "description": "Left empty: no equipment."},
                    {"type": "array", "uniqueItems": True, "items": {"enum": list(model.EQUIPMENT)}},
                ],
                "default": [],
            },
            "cautions": {"type": "array", "items": _text(model.TEXT_MAX_CHARS, "When not to do it.")},
            "ambience": {
                "type": "string",
                "pattern": _SOUND_ID,
                "description": "A sound id from audio/ambience/, or none.",
            },
            "sleep": {
                "type": "boolean",
                "default": False,
                "description": "A routine to fall asleep to: no end chime or countdown ticks; the ambience fades slowly.",
            },
            "steps": {"$ref": "#/$defs/steps"},
        },
        "$defs": {
            "duration": {
                "description": "45s, 2m, 1m30s, or a whole number of seconds (1 s to 30 min); after m, "
                "seconds go up to 59.",
                "oneOf": [
                    {"type": "integer", "minimum": model.STEP_MIN_SECONDS, "maximum": model.STEP_MAX_SECONDS},
                    {"type": "string", "pattern": _DURATION},
                ],
            },
            "steps": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "oneOf": [{"$ref": "#/$defs/step"}, {"$ref": "#/$defs/repeat"}, {"$ref": "#/$defs/sides"}]
                },
            },
            "step": step,
            "repeat": repeat,
            "sides": sides,
        },
    }


def schema_json() -> str:
    """The schema as the text committed in routines/schema.json."""
    return json.dumps(routine_schema(), indent=2, ensure_ascii=False) + "\n"
