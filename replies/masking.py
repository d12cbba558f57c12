"""Readers' contact details hidden for display: e-mail addresses and phone numbers, however spelled."""

import re
import unicodedata

# Matched on the text normalised with NFKC (so a full-width at sign U+FF20 is an "@", U+FF0E a "."),
# replaced in the text as written.

_LOCAL_CHARACTER = r"[\w.!#$%&'*+/=?^`{|}~-]"  # what an address may have before its "@"
_LOCAL = rf"{_LOCAL_CHARACTER}{{1,64}}"  # 64 at most, as in RFC 5321: each try stays short
_LABEL = r"[\w-]+"
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"  # "@", " @ ", "(at)", "[ at ]", ...
_WORDY_DOT = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"  # "(dot)", " dot ", ...
_SPELLED_LOCAL = rf"{_LOCAL}(?:{_WORDY_DOT}{_LOCAL}){{0,4}}"  # "jo dot smith"
EMAIL_RE = re.compile(rf"{_SPELLED_LOCAL}{_AT}{_LABEL}(?:(?:\.|{_WORDY_DOT}){_LABEL})+", re.IGNORECASE)
# "jo at example dot com": a plain " at " only counts when a spelled-out "dot" follows.
SPELLED_EMAIL_RE = re.compile(rf"{_SPELLED_LOCAL}\s+at\s+{_LABEL}(?:{_WORDY_DOT}{_LABEL})+", re.IGNORECASE)

# Digit groups joined by one separator each: a space, "-", ".", "/", "_" or "," (spaces allowed
# around all but ","), or a bracketed area code; whether it is a phone number is decided after.
_SEPARATOR = r"(?:[ \t]?[-./_][ \t]?|,|[ \t]|[ \t]?\(\d{1,4}\)[ \t]?)"
PHONE_RE = re.compile(rf"(?<![\w+])(?:\+[ \t]?)?(?:\(\d{{1,4}}\)[ \t]?)?\d+(?:{_SEPARATOR}\d+)*(?!\w)")
PHONE_DIGITS = range(8, 16)  # national numbers have 8 or more digits; E.164 allows 15 at most
DATE_RE = re.compile(r"\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2\d{4}")
YEARS_RE = re.compile(r"(?:19|20)\d\d(?:\s?[-/\u2013]\s?|\s)(?:19|20)\d\d")  # "2019-2021", "2019 2020"
AMOUNT_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+[.,]\d+")  # "12,500,000", "3.14159265"

EMAIL_HIDDEN = "[e-mail address hidden]"
PHONE_HIDDEN = "[phone number hidden]"


def mask_private_details(text):
    """The text with e-mail addresses and phone numbers replaced, for showing in public."""
    for pattern, hidden, is_private in (
        (EMAIL_RE, EMAIL_HIDDEN, None),
        (SPELLED_EMAIL_RE, EMAIL_HIDDEN, None),
        (PHONE_RE, PHONE_HIDDEN, _is_phone_number),
    ):
        text = _replace_matches(text, pattern, hidden, is_private)
    return text


def _replace_matches(text, pattern, hidden, is_private):
    normalised, origin = _normalised(text)
    spans = []
    for match in pattern.finditer(normalised):
        if is_private is None or is_private(match.group()):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if spans and start < spans[-1][1]:  # both came out of one character ("…" is "...")
                start = spans.pop()[0]
            spans.append((start, end))
    for start, end in reversed(spans):
        text = text[:start] + hidden + text[end:]
    return text


def _normalised(text):
    """The text in NFKC form, and for each of its characters the index of the one it came from."""
    if text.isascii():
        return text, range(len(text))
    parts, origin = [], []
    for index, character in enumerate(text):
        normal = unicodedata.normalize("NFKC", character)
        parts.append(normal)
        origin.extend([index] * len(normal))
    return "".join(parts), origin


def _is_phone_number(candidate):
    digits = sum(character.isdigit() for character in candidate)
    if digits not in PHONE_DIGITS:
        return False
    return not any(shape.fullmatch(candidate) for shape in (DATE_RE, YEARS_RE, AMOUNT_RE))
